import { isRecord, TemplateError } from './template-types.ts';

/**
 * Reading resolved template properties the way CloudFormation does: numbers and booleans may be
 * written as strings, and JSON documents (policies) as objects or as JSON text. Errors name the
 * resource and the property, so a bad template fails start-up with something to fix.
 */

export function optionalInteger(logicalId: string, properties: Record<string, unknown>, name: string): number | undefined {
  const raw = properties[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TemplateError(`${logicalId}: ${name} must be an integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function optionalBoolean(logicalId: string, properties: Record<string, unknown>, name: string): boolean | undefined {
  const raw = properties[name];
  if (raw === undefined) return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new TemplateError(`${logicalId}: ${name} must be true or false, got ${JSON.stringify(raw)}`);
}

export function optionalString(logicalId: string, properties: Record<string, unknown>, name: string): string | undefined {
  const raw = properties[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new TemplateError(`${logicalId}: ${name} must be a string, got ${JSON.stringify(raw)}`);
  return raw;
}

/** A JSON document property (RedrivePolicy, FilterPolicy, …): an object, or the same as JSON text. */
export function optionalDocument(logicalId: string, properties: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const raw = properties[name];
  if (raw === undefined) return undefined;
  let document: unknown = raw;
  if (typeof raw === 'string') {
    try {
      document = JSON.parse(raw);
    } catch {
      throw new TemplateError(`${logicalId}: ${name} is not valid JSON: ${raw}`);
    }
  }
  if (!isRecord(document)) throw new TemplateError(`${logicalId}: ${name} must be a JSON object, got ${JSON.stringify(raw)}`);
  return document;
}
