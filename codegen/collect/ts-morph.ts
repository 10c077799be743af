import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

/**
 * ts-morph's runtime values, loaded with `require`: an ESM `import` of its CommonJS bundle makes
 * Node lex the whole bundle for named exports first (~90 ms on every codegen run).
 */
export const { Node, Project, SyntaxKind, ts } = createRequire(import.meta.url)('ts-morph') as typeof TsMorph;
