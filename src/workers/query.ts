/**
 * Child process that runs local DuckDB queries for the extension (forked by src/core/query/client.ts): DuckDB's
 * native code runs outside the extension host, so a long query cannot block it and a crash only ends this process.
 * Messages: {type:'query', id, query, settings} → {type:'progress', id, message} … {type:'result'|'error', id, …};
 * {type:'cancel', id} interrupts the running query.
 */
import { DuckQueryEngine, EngineSettings, LocalQuery, QueryError } from '../core/query/duckdb';
import { isQueryError } from '../core/query/errors';

type InMsg = { type: 'query'; id: number; query: LocalQuery; settings: EngineSettings } | { type: 'cancel'; id: number };

let engine: DuckQueryEngine | undefined;
let settingsKey = '';
let running: number | undefined;

const send = (m: unknown) => process.send?.(m);

process.on('message', (m: InMsg) => {
  if (m.type === 'cancel') {
    if (running === m.id) engine?.cancel();
    return;
  }
  if (m.type !== 'query') return;
  const key = JSON.stringify(m.settings);
  if (!engine || key !== settingsKey) {
    engine?.close();
    engine = new DuckQueryEngine(m.settings);
    settingsKey = key;
  }
  running = m.id;
  engine
    .query(m.query, (message) => send({ type: 'progress', id: m.id, message }))
    .then(
      (result) => send({ type: 'result', id: m.id, result }),
      (err: unknown) => {
        const e = isQueryError(err) ? err : new QueryError(err instanceof Error ? err.message : String(err), undefined, undefined, 'engine');
        send({ type: 'error', id: m.id, error: { message: e.message, line: e.line, column: e.column, code: e.code } });
      },
    )
    .finally(() => {
      if (running === m.id) running = undefined;
    });
});
process.on('disconnect', () => process.exit(0));
