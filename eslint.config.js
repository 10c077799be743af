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
  {
    files: ['codegen/**', 'test/**', 'fixtures/**', 'bench/**', '*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
