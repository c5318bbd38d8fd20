#!/bin/sh
# Prepares the namespace for the product (run by the `temporal-register` service once the server
# is healthy; the worker and the API start only after it succeeded):
#  - creates the namespace if it is missing, and keeps closed histories for ten years: a
#    workflow's history is the audit trail of who did what, when;
#  - registers the search attributes operators' lists are built from.
# Run again, it changes nothing. Any failure stops it, loudly.
set -eu
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_RETENTION:-3650d}"
# Name:Type pairs; the same list as src/search-attributes.ts (a test keeps them equal).
ATTRIBUTES="RectStage:Keyword RectTownship:Keyword RectVillage:Keyword RectNextDue:Datetime RectOverdue:Bool RectCycleYear:Int RectFailedDeliveries:Int RectDeliveryDelayed:Bool"

WAIT_SECONDS="${TEMPORAL_WAIT_SECONDS:-120}"

waited=0
until temporal operator cluster health >/dev/null 2>&1; do
  if [ "$waited" -ge "$WAIT_SECONDS" ]; then
    echo "Temporal at ${TEMPORAL_ADDRESS:-127.0.0.1:7233} is not healthy after ${WAIT_SECONDS}s" >&2
    exit 1
  fi
  sleep 2
  waited=$((waited + 2))
done

if temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; then
  temporal operator namespace update --namespace "$NAMESPACE" --retention "$RETENTION"
else
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION"
fi
echo "namespace $NAMESPACE keeps closed histories for $RETENTION"

existing="$(temporal operator search-attribute list --namespace "$NAMESPACE")"
for pair in $ATTRIBUTES; do
  name="${pair%%:*}"
  type="${pair##*:}"
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name is registered"
  else
    temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type"
    echo "registered search attribute $name ($type)"
  fi
done
