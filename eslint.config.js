import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/out/**'] },
  { files: ['scripts/**/*.js'], languageOptions: { globals: { console: 'readonly' } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', TextDecoder: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly' } },
  },
  {
    files: ['bench/**/*.js'],
    languageOptions: { globals: { performance: 'readonly', gc: 'readonly' } },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only (house style).' }],
    },
  },
  {
    // every command starts by loading the CLI: the nightly job and the store (DuckDB) load when run
    // or flags runs (import() in its action), not when convert or --help does (0.5 s → 0.3 s)
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/run-job.js', '**/publish/store.js', '**/publish/red-flags-export.js', '**/publish/output-dir.js', '@duckdb/*'], allowTypeImports: true, message: 'load the job and the store in the command\'s action (await import(…)): every command starts by loading src/cli.' }] }],
    },
  },
  {
    // transform/ is pure: no I/O, no clock, no randomness (house style).
    files: ['src/transform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'child_process', '@duckdb/*'], message: 'src/transform is pure: pass I/O in through the caller.' }] }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'No clock in transform: take the run time from context.' }, { object: 'Math', property: 'random', message: 'No randomness in transform.' }],
    },
  },
);
