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
    // transform/ is pure: no I/O, no clock, no randomness (house style).
    files: ['src/transform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'child_process', '@duckdb/*'], message: 'src/transform is pure: pass I/O in through the caller.' }] }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'No clock in transform: take the run time from context.' }, { object: 'Math', property: 'random', message: 'No randomness in transform.' }],
    },
  },
);
