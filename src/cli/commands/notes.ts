import type { Command } from 'commander';
import { printResult } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, withRuntime } from '../runtime.ts';

export function register(program: Command): void {
  commandGroup(program, 'notes')
    .command('retry')
    .description(
      'Send notes whose processing failed (after every attempt) back through the note pipeline, once the cause is fixed: the given note ids, or every failed note. The start-up reconciler leaves failed notes alone, so this is the way back. Runs them here with a progress bar (with --no-process, leaves them for the service). Audited per patient. Last line: one JSON object.',
    )
    .argument('[ids...]', 'note ids (default: every failed note)')
    .option('--no-process', 'only mark them pending; the service or workers process them at their next reconcile')
    .action(async (ids: string[], opts: { process: boolean }) => {
      const { isUuid } = await import('../../db/page.ts');
      const bad = ids.filter((id) => !isUuid(id));
      if (bad.length > 0) {
        process.stderr.write(`clinote: not a note id: ${bad.join(', ')}\n`);
        process.exitCode = 1;
        return;
      }
      await withRuntime({ purpose: 'clinote notes retry', defaultLogLevel: 'warn' }, async (runtime) => {
        const { retryFailedNotes } = await import('../../notes/service.ts');
        const requeued = await retryFailedNotes(runtime.db, ids.length > 0 ? ids : undefined);
        if (ids.length > 0 && requeued.length === 0) throw new CommandInputError('None of the given notes has failed processing.');
        if (requeued.length < ids.length) {
          const found = new Set(requeued.map((n) => n.id));
          process.stderr.write(`note: not failed or not found, left as they are: ${ids.filter((id) => !found.has(id.toLowerCase())).join(', ')}\n`);
        }
        const { auditOperatorAccess } = await import('../../history/operator-access-service.ts');
        await auditOperatorAccess(runtime.db, 'note.retry', [...new Set(requeued.map((n) => n.patientId))], { notes: requeued.length });
        const { processNotesHere } = await import('../../boot/process-notes.ts');
        const noteIds = requeued.map((n) => n.id);
        const failed = opts.process ? await processNotesHere(runtime, noteIds, 'notes processed') : 0;
        printResult({ suite: 'notes-retry', requeued: noteIds.length, processed: opts.process ? noteIds.length - failed : 0, failed_again: failed });
        if (failed > 0) process.exitCode = 1;
      });
    });
}
