import type { Position } from './template-node.js';

/** A malformed template or a value it cannot take: told as `FILE:LINE:COL: message`, exit 2. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly pos: Position | undefined,
  ) {
    super(message);
    this.name = 'TemplateError';
  }

  where(file: string): string {
    return this.pos ? `${file}:${this.pos.line}:${this.pos.col}: ${this.message}` : `${file}: ${this.message}`;
  }
}
