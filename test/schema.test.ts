// The committed JSON Schema is the generated one, and it accepts every shipped scenario.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../src/scenario/json-schema.js';
import { ScenarioSchema } from '../src/scenario/schema.js';
import { loadScenario } from '../src/scenario/load.js';

describe('scenario JSON Schema', () => {
  it('docs/scenario.schema.json is up to date (regenerate: peakplan schema > docs/scenario.schema.json)', () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'scenario.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
  const files = readdirSync(join(import.meta.dirname, '..', 'scenarios')).filter((f) => f.endsWith('.yaml'));
  it.each(files)('scenarios/%s validates and loads', (f) => {
    const path = join(import.meta.dirname, '..', 'scenarios', f);
    expect(ScenarioSchema.safeParse(parse(readFileSync(path, 'utf8'))).success).toBe(true);
    expect(() => loadScenario(path)).not.toThrow();
  });
  // What an editor does with the schema line: a standard JSON Schema validator (ajv), not zod.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'scenario.schema.json'), 'utf8')));
  it.each(files)('scenarios/%s validates against docs/scenario.schema.json (ajv)', (f) => {
    const data = parse(readFileSync(join(import.meta.dirname, '..', 'scenarios', f), 'utf8'));
    const ok = validate(data);
    expect(ok, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
  it('the schema rejects what the validator rejects (a misspelt key, a wrong type)', () => {
    const base = parse(readFileSync(join(import.meta.dirname, '..', 'scenarios', 'teaching-mmc.yaml'), 'utf8'));
    expect(validate({ ...base, replicatons: 3 })).toBe(false);
    expect(validate({ ...base, seed: 'seven' })).toBe(false);
    expect(validate({ ...base, pools: [{ ...base.pools[0], concurrency: 0 }] })).toBe(false);
  });
});
