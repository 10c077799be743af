// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tmp/**', 'fixtures/**/drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/codegen/**', 'ts-morph', 'drizzle-kit'], message: 'runtime code never imports codegen, ts-morph or drizzle-kit' }] }],
    },
  },
  // Type-aware rules on the runtime: no `any` flows through src/ unchecked (no-unsafe-*), no
  // assertion that changes nothing, only Error objects thrown, every promise handled.
  ...tseslint.configs.recommendedTypeCheckedOnly.map((config) => ({ ...config, files: ['src/**/*.ts'] })),
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['codegen/**', 'test/**', 'fixtures/**', 'bench/**', '*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
