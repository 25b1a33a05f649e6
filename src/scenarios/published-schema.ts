import { ScenarioSchema } from './schema.js';

/** The schema as a standalone JSON Schema document (TypeBox's symbols dropped, an $id added). */
export function publishedSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://voltbench.dev/scenario.schema.json',
    title: 'voltbench scenario',
    ...(JSON.parse(JSON.stringify(ScenarioSchema)) as Record<string, unknown>),
  };
}
