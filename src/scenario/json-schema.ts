// The JSON Schema of scenario files, generated from the same zod definitions the validator uses
// (editors use it for completion via `# yaml-language-server: $schema=…`).
import { z } from 'zod';
import { ScenarioSchema } from './schema.js';

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://github.com/peakplan/peakplan/docs/scenario.schema.json',
    title: 'peakplan scenario',
    description: 'A contact-centre scenario for peakplan: calendar, demand, bot, routing, pools and targets. See docs/scenario.md.',
  };
}
