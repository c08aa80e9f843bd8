/** Bad input data: the message starts with "file:line:" (or "file:" when no line applies), like a compiler's. */
export class DataFormatError extends Error {
  readonly file: string;
  readonly line: number | null;

  constructor(file: string, line: number | null, problem: string) {
    super(line === null ? `${file}: ${problem}` : `${file}:${line}: ${problem}`);
    this.name = 'DataFormatError';
    this.file = file;
    this.line = line;
  }
}
