// npm run schemas: write schemas/ from src/validate/schema-source (run after npm run build).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from '../dist/validate/schema-source/build.js';

const root = fileURLToPath(new URL('../schemas/', import.meta.url));
for (const f of schemaFiles()) {
  const path = join(root, f.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(f.content, null, 2)}\n`);
  console.log(`wrote schemas/${f.path}`);
}
