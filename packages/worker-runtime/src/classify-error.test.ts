import { UnrecoverableError } from 'bullmq';
import { ReplyError } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyError, readableReason } from './classify-error';

function pgError(message: string, code: string, severity = 'ERROR') {
  const error = new pg.DatabaseError(message, 0, 'error');
  error.code = code;
  error.severity = severity;
  return error;
}

function socketError(message: string, code: string) {
  return Object.assign(new Error(message), { code, errno: -111, syscall: 'connect' });
}

describe('classifyError', () => {
  it.each([
    ['a refused database connection', socketError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', socketError('read ECONNRESET', 'ECONNRESET')],
    [
      'a backend killed by pg_terminate_backend',
      pgError('terminating connection due to administrator command', '57P01', 'FATAL'),
    ],
    ['a database starting up', pgError('the database system is starting up', '57P03', 'FATAL')],
    ['too many connections', pgError('sorry, too many clients already', '53300', 'FATAL')],
    ['a deadlock', pgError('deadlock detected', '40P01')],
    ['a connection that ended mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
  ])('calls %s a database dependency fault', (_, error) => {
    expect(classifyError(error)).toMatchObject({ kind: 'dependency', dependency: 'database' });
  });

  it.each([
    ['a full Redis', new ReplyError("OOM command not allowed when used memory > 'maxmemory'.")],
    ['a replica after failover', new ReplyError("READONLY You can't write against a read only replica.")],
    ['a Redis loading its data', new ReplyError('LOADING Redis is loading the dataset in memory')],
    ['a closed ioredis connection', new Error('Connection is closed.')],
    [
      'a producer connection with Redis down',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    [
      'a command out of retries',
      Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
  ])('calls %s a Redis dependency fault', (_, error) => {
    expect(classifyError(error)).toMatchObject({ kind: 'dependency', dependency: 'redis' });
  });

  it('calls a Redis transaction aborted by a full Redis a Redis dependency fault', () => {
    const aborted = Object.assign(
      new ReplyError('EXECABORT Transaction discarded because of previous errors.'),
      {
        previousErrors: [new ReplyError("OOM command not allowed when used memory > 'maxmemory'.")],
      },
    );
    expect(classifyError(aborted)).toMatchObject({ kind: 'dependency', dependency: 'redis' });
    const syntax = Object.assign(
      new ReplyError('EXECABORT Transaction discarded because of previous errors.'),
      {
        previousErrors: [new ReplyError('ERR unknown command')],
      },
    );
    expect(classifyError(syntax).kind).toBe('unknown');
  });

  it('looks through causes and AggregateError members (Node connecting to several addresses)', () => {
    const aggregate = new AggregateError([socketError('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '');
    expect(classifyError(aggregate)).toMatchObject({ kind: 'dependency' });
    expect(classifyError(new Error('indexing failed', { cause: pgError('x', '57P01') }))).toMatchObject({
      kind: 'dependency',
      dependency: 'database',
    });
    expect(readableReason(aggregate)).toBe('connect ECONNREFUSED ::1:5432');
  });

  it.each([
    ['a NUL byte the database refuses', pgError('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
    ['an escape jsonb refuses', pgError('unsupported Unicode escape sequence', '22P05')],
    ['a tsvector over its limit', pgError('string is too long for tsvector', '54000')],
    ['an unrecoverable error', new UnrecoverableError('document body is empty')],
    ['an error marked permanent', Object.assign(new Error('blocked address'), { permanent: true })],
    ['an invalid payload', z.object({ id: z.string() }).safeParse({}).error],
  ])('calls %s the document’s own fault', (_, error) => {
    expect(classifyError(error)).toMatchObject({ kind: 'document' });
  });

  it.each([
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    [
      'a web site refusing the fetcher (not a dependency)',
      Object.assign(
        new Error('could not connect to https://a.example/', {
          cause: socketError('connect ECONNREFUSED 93.184.216.34:443', 'ECONNREFUSED'),
        }),
        { name: 'FetchError', code: 'network', permanent: false },
      ),
    ],
    ['a unique violation', pgError('duplicate key value violates unique constraint', '23505')],
    ['a Redis syntax error', new ReplyError('ERR wrong number of arguments')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('leaves %s to ordinary retries', (_, error) => {
    expect(classifyError(error).kind).toBe('unknown');
  });

  it('gives a one-line reason, never empty', () => {
    expect(readableReason(new Error('first line\n    at stack'))).toBe('first line');
    expect(readableReason(new AggregateError([], ''))).not.toBe('');
    expect(readableReason(undefined)).toBe('unknown error');
    expect(readableReason(socketError('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'))).toBe(
      'connect ECONNREFUSED 127.0.0.1:6379',
    );
  });
});
