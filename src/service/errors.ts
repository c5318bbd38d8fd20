/**
 * What can go wrong when a surface asks the service to act, as one closed set: the HTTP API maps
 * each kind to its status code, the CLI to its exit code. Messages are Chinese, for officials.
 */
export const serviceErrorKinds = ['bad-input', 'unauthenticated', 'forbidden', 'not-found', 'conflict', 'rejected', 'rate-limited', 'unavailable'] as const;
export type ServiceErrorKind = (typeof serviceErrorKinds)[number];

import type { FieldIssue } from '../contracts/common';

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    readonly fields: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** HTTP status of each kind (422: the workflow's own validator refused the update). */
export const httpStatus: Record<ServiceErrorKind, number> = {
  'bad-input': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rejected: 422,
  'rate-limited': 429,
  unavailable: 503,
};

/** Exit codes scripts can rely on: 2 bad input, 3 refused, 4 not found, 5 unavailable. */
export const exitCode: Record<ServiceErrorKind, number> = {
  'bad-input': 2,
  unauthenticated: 3,
  forbidden: 3,
  'not-found': 4,
  conflict: 3,
  rejected: 3,
  'rate-limited': 3,
  unavailable: 5,
};
