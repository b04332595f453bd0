/** Pure types (no node: imports) so the renderer's validation can name file problems too. */

/**
 * Why a local file (firmware or --udi-file) cannot be used, found before anything is sent. What a
 * non-regular path is lets the message say "a directory" or "a named pipe", not just "not a file".
 */
export type FileProblem =
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-a-file'; readonly what: 'directory' | 'fifo' | 'device' | 'socket' | 'other' }
  | { readonly kind: 'permission' }
  | { readonly kind: 'too-large'; readonly size: number; readonly max: number }
  | { readonly kind: 'failed'; readonly code: string };
