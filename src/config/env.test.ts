import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.ts';

describe('loadConfig', () => {
  it('defaults to the embedded mode with no environment', () => {
    const c = loadConfig({});
    expect(c.storage).toBe('pglite');
    expect(c.queue).toBe('in-process');
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.CLINOTE_BODY_LIMIT).toBe(1024 * 1024);
    expect(c.dataDir.endsWith('.clinote')).toBe(true);
    expect(c.CLINOTE_PRELOAD_MODELS).toBe(true);
  });

  it('reads the model preload switch as a boolean and rejects other words', () => {
    expect(loadConfig({ CLINOTE_PRELOAD_MODELS: 'false' }).CLINOTE_PRELOAD_MODELS).toBe(false);
    expect(loadConfig({ CLINOTE_PRELOAD_MODELS: '0' }).CLINOTE_PRELOAD_MODELS).toBe(false);
    expect(loadConfig({ CLINOTE_PRELOAD_MODELS: '1' }).CLINOTE_PRELOAD_MODELS).toBe(true);
    expect(() => loadConfig({ CLINOTE_PRELOAD_MODELS: 'yes' })).toThrow(/CLINOTE_PRELOAD_MODELS: must be true or false/);
  });

  it('selects PostgreSQL and BullMQ when their URLs are set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://127.0.0.1:6379', CLINOTE_IMAGE_LIMIT: '2mb' });
    expect(c.storage).toBe('postgres');
    expect(c.queue).toBe('bullmq');
    expect(c.CLINOTE_IMAGE_LIMIT).toBe(2 * 1024 * 1024);
  });

  it('lists every invalid variable in one error', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
      expect(msg).toContain('LOG_LEVEL');
    }
  });
});
