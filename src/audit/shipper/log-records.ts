/**
 * An audit line as an OTLP log record (issue 13): the body is the line exactly as written, so a
 * dump of bodies is the chain itself and verifies with `rea audit verify --file`; attributes carry
 * the chain position and the fields a collector filters on.
 */
import { SeverityNumber, type Attributes } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { VERSION } from '../../version.js';
import type { ChainLine } from './record-follower.js';

const AUDIT_SCOPE = { name: 'rea.audit', version: VERSION };
const AUDIT_EVENT_NAME = 'rea.audit.record';

export function toLogRecord(entry: ChainLine, resource: Resource): ReadableLogRecord {
  const record = entry.record;
  const observed = millisToHrTime(Date.now());
  const at = record === undefined ? Number.NaN : Date.parse(record.timestamp);
  const attributes: Attributes = { 'rea.audit.seq': entry.seq };
  if (record === undefined) attributes['rea.audit.unparseable'] = true;
  else {
    attributes['rea.audit.hash'] = record.hash;
    attributes['rea.audit.prev_hash'] = record.prev_hash;
    attributes['rea.session.id'] = record.session_id;
    attributes['rea.server'] = record.server_name;
    attributes['rea.tool'] = record.tool_name;
    attributes['rea.status'] = record.status;
    if (record.phase !== undefined) attributes['rea.audit.phase'] = record.phase;
  }
  const severity = record?.status === 'error' || record === undefined ? SeverityNumber.ERROR : record.status === 'denied' ? SeverityNumber.WARN : SeverityNumber.INFO;
  return {
    hrTime: Number.isNaN(at) ? observed : millisToHrTime(at),
    hrTimeObserved: observed,
    severityNumber: severity,
    severityText: SeverityNumber[severity],
    body: entry.line,
    eventName: AUDIT_EVENT_NAME,
    resource,
    instrumentationScope: AUDIT_SCOPE,
    attributes,
    droppedAttributesCount: 0,
  };
}
