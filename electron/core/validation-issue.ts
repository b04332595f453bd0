/**
 * A broken rule, as publish validation and profile validation both report it: which field, a short
 * stable rule id, and the message in both languages. Neutral ground: imports nothing but i18n.
 */
import type { Text } from './i18n/text.js';

/** One broken rule. `field` is the API parameter name (`DestVersion`, `MultiFiles.2.Name`, `Files.3`) or a form field. */
export interface ValidationIssue {
  readonly field: string;
  /** Short stable id: required, max-length, charset, start-char, not-equal, diff-only, one-of, boolean, count, suffix, empty, too-large, unique, dialect, readable, format. */
  readonly rule: string;
  readonly message: Text;
}

/** Input that breaks one or more rules; `message` is the English messages, one per line. */
export class ValidationError extends Error {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(issues.map((i) => i.message.en).join('\n') || 'The firmware spec is invalid.');
    this.name = 'ValidationError';
    this.issues = issues;
  }
}
