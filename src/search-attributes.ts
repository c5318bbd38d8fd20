import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that operators' lists are built from (README, What runs).
 * Registered on every server the product or its tests start; see `searchAttributeFlags`.
 */
export const StageKey = defineSearchAttributeKey('RectStage', SearchAttributeType.KEYWORD);
export const TownshipKey = defineSearchAttributeKey('RectTownship', SearchAttributeType.KEYWORD);
export const VillageKey = defineSearchAttributeKey('RectVillage', SearchAttributeType.KEYWORD);
export const NextDueKey = defineSearchAttributeKey('RectNextDue', SearchAttributeType.DATETIME);
export const OverdueKey = defineSearchAttributeKey('RectOverdue', SearchAttributeType.BOOL);
export const CycleYearKey = defineSearchAttributeKey('RectCycleYear', SearchAttributeType.INT);
export const FailedDeliveriesKey = defineSearchAttributeKey('RectFailedDeliveries', SearchAttributeType.INT);
/** Notices waiting for the mail server to come back (they are retried). */
export const DeliveryDelayedKey = defineSearchAttributeKey('RectDeliveryDelayed', SearchAttributeType.BOOL);

export const searchAttributeKeys = [
  StageKey,
  TownshipKey,
  VillageKey,
  NextDueKey,
  OverdueKey,
  CycleYearKey,
  FailedDeliveriesKey,
  DeliveryDelayedKey,
] as const;

const cliTypeNames: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** `Name=Type` as the Temporal CLI's `--search-attribute` flag and `operator` commands spell it. */
export function cliSearchAttribute(key: (typeof searchAttributeKeys)[number]): { name: string; type: string } {
  return { name: key.name, type: cliTypeNames[key.type] };
}
