/**
 * The connection options to the Temporal frontend for every process (worker, API, CLI): plain on
 * the embedded default, mTLS with a client certificate or an API key when configured. Officials
 * never reach Temporal themselves; only these processes do.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config';

/** Options both a client Connection and the worker's NativeConnection take. */
export function connectionOptions(config: Config): Pick<NativeConnectionOptions, 'address' | 'tls' | 'apiKey'> {
  const { address, tls, apiKey } = config.temporal;
  return {
    address,
    ...(tls
      ? {
          tls: {
            clientCertPair: { crt: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
            ...(tls.caFile ? { serverRootCACertificate: readFileSync(tls.caFile) } : {}),
            ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
          },
        }
      : {}),
    ...(apiKey ? { apiKey, ...(tls ? {} : { tls: true }) } : {}),
  };
}

/** A client of the configured namespace, or an error naming the address and what failed. */
export async function connectClient(config: Config, connectTimeout = 5_000): Promise<Client> {
  const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout }).catch((err: unknown) => {
    throw new Error(`无法连接 Temporal 服务（${config.temporal.address}，TEMPORAL_ADDRESS）：${(err as Error).message}`);
  });
  return new Client({ connection, namespace: config.temporal.namespace });
}

