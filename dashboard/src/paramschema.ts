/**
 * A program's declared parameters (GET /programs/{name}, `parameters`: the JSON Schema subset the API checks a job
 * against) as the fields of a form, and a form's values back as the job's parameters. Pure, so Node tests it.
 */

export interface ParameterProperty {
  type?: string;
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export interface ParameterSchema {
  type?: string;
  properties?: Record<string, ParameterProperty>;
  required?: string[];
  additionalProperties?: boolean;
}

/** One input of the form: `choice` is a select of the enum's values, `boolean` a checkbox, the rest text or number. */
export interface Field {
  name: string;
  kind: 'integer' | 'number' | 'boolean' | 'string' | 'choice';
  label: string;
  description?: string;
  required: boolean;
  /** The initial value as the input holds it: the schema's default, or empty. */
  initial: string;
  options?: string[];
  /** HTML constraints the browser checks before the API does: min, max, step, minlength, maxlength, pattern. */
  constraints: Record<string, string | number>;
}

/** The fields of a schema, in its order; none when the program declares no parameters. */
export function fieldsOf(schema: ParameterSchema | undefined | null): Field[] {
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, p]) => {
    const kind: Field['kind'] = Array.isArray(p.enum) ? 'choice'
      : p.type === 'integer' || p.type === 'number' || p.type === 'boolean' ? p.type : 'string';
    const constraints: Record<string, string | number> = {};
    if (kind === 'integer' || kind === 'number') {
      const min = p.minimum ?? p.exclusiveMinimum;
      const max = p.maximum ?? p.exclusiveMaximum;
      if (min !== undefined) { constraints.min = min; }
      if (max !== undefined) { constraints.max = max; }
      constraints.step = kind === 'integer' ? 1 : 'any';
    }
    if (kind === 'string') {
      if (p.minLength !== undefined) { constraints.minlength = p.minLength; }
      if (p.maxLength !== undefined) { constraints.maxlength = p.maxLength; }
      if (p.pattern !== undefined) { constraints.pattern = p.pattern; }
    }
    return {
      name,
      kind,
      label: p.title ?? name,
      description: p.description,
      required: required.has(name),
      initial: p.default === undefined || p.default === null ? '' : String(p.default),
      options: kind === 'choice' ? (p.enum ?? []).map(String) : undefined,
      constraints,
    };
  });
}

/**
 * The job's parameters from what the form's inputs hold (a checkbox as 'true' or 'false'): numbers as numbers,
 * booleans as booleans, and an empty input left out so the program's default applies (or the API says it is required).
 */
export function valuesOf(fields: Field[], raw: Record<string, string>): Record<string, string | number | boolean> {
  const values: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    const text = (raw[field.name] ?? '').trim();
    if (text === '') {
      continue;
    }
    const number = Number(text);
    if (field.kind === 'boolean') {
      values[field.name] = text === 'true';
    } else if ((field.kind === 'integer' && Number.isSafeInteger(number)) || (field.kind === 'number' && Number.isFinite(number))) {
      values[field.name] = number;
    } else {
      values[field.name] = text; // not a number after all, or too long for one: sent as typed, and the API checks it
    }
  }
  return values;
}
