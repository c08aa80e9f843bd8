/**
 * Counts the document reads Firestore would bill for what a piece of code does, from the client library's own log of
 * every streamed request and response (setLogFunction): a document got (found or missing) is one read, a query one
 * read per document returned and at least one, a count() one read per 1,000 index entries counted and at least one.
 * Writes travel as unary requests and are not counted. The log is process-wide: count one thing at a time.
 */
import { setLogFunction } from '@google-cloud/firestore';

type Kind = 'get' | 'query' | 'count';

interface Request {
  kind: Kind;
  documents: number;
  counted: number;
}

export interface ReadCount {
  /** Billed reads, as above. */
  reads: number;
  /** The requests behind them, e.g. `get 1`, `query 1`, `count 2`. */
  requests: string[];
}

const LINE = /^Firestore \S+ \S+ (\S+) \[Firestore\.requestStream\]: (Sending request|Received response): (.*)$/s;

/** Runs `work` and counts the reads it made. */
export async function countReads<T>(work: () => Promise<T>): Promise<{ result: T } & ReadCount> {
  const requests = new Map<string, Request>();
  setLogFunction((line) => {
    const match = LINE.exec(line);
    if (match === null) return;
    const [, tag, what, json] = match;
    const message = JSON.parse(json) as Record<string, unknown>;
    if (what === 'Sending request') {
      const kind: Kind = 'structuredAggregationQuery' in message ? 'count' : 'structuredQuery' in message ? 'query' : 'get';
      if (!requests.has(tag)) requests.set(tag, { kind, documents: 0, counted: 0 });
      return;
    }
    const request = requests.get(tag);
    if (request === undefined) return;
    if (message.found !== undefined || message.missing !== undefined || message.document !== undefined) request.documents++;
    const count = (message.result as { aggregateFields?: Record<string, { integerValue?: string | number }> } | undefined)?.aggregateFields;
    if (count !== undefined) for (const field of Object.values(count)) request.counted += Number(field.integerValue ?? 0);
  });
  try {
    const result = await work();
    const billed = [...requests.values()].map((r) => ({ kind: r.kind, reads: billedReads(r) }));
    return { result, reads: billed.reduce((sum, r) => sum + r.reads, 0), requests: billed.map((r) => `${r.kind} ${r.reads}`) };
  } finally {
    setLogFunction(null);
  }
}

function billedReads(request: Request): number {
  if (request.kind === 'count') return Math.max(1, Math.ceil(request.counted / 1000));
  return Math.max(1, request.documents);
}
