// The committed JSON Schema is the generated one, and it accepts every shipped scenario.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
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
});
