// Writes scenarios/scenario.schema.json from the TypeBox schema: `npm run scenario-schema`.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioLibraryDir } from './load.js';
import { publishedSchema } from './published-schema.js';

const file = join(scenarioLibraryDir(), 'scenario.schema.json');
writeFileSync(file, `${JSON.stringify(publishedSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
