import { Option, type Command } from 'commander';
import { createKey, listKeys, revokeKey } from '../../access/api-keys-service.ts';
import { ROLES, type Role } from '../../access/types.ts';
import { printTable } from '../output.ts';
import { commandGroup } from '../program.ts';
import { CommandInputError, withRuntime } from '../runtime.ts';

export function register(program: Command): void {
  const keys = commandGroup(program, 'keys');
  keys
    .command('create')
    .description('Create an API key and print its token once (store it safely; only a hash is kept)')
    .addOption(new Option('--role <role>', 'role of the key').choices(ROLES).makeOptionMandatory())
    .option('--label <label>', 'who or what uses the key', '')
    .action(async (opts: { role: Role; label: string }) => {
      await withRuntime({ purpose: 'clinote keys create' }, async (rt) => {
        const { key, token } = await createKey(rt.db, opts.role, opts.label || `${opts.role} key`);
        process.stderr.write(`Created ${key.role} key ${key.id} (${key.label}). The token is shown only once:\n`);
        process.stdout.write(`${token}\n`);
      });
    });
  keys
    .command('list')
    .description('List API keys (never their secrets)')
    .action(async () => {
      await withRuntime({ purpose: 'clinote keys list' }, async (rt) => {
        const all = await listKeys(rt.db);
        printTable(
          all.map((k) => ({
            id: k.id,
            prefix: k.prefix,
            role: k.role,
            label: k.label,
            created: k.createdAt.toISOString(),
            lastUsed: k.lastUsedAt?.toISOString() ?? '',
            revoked: k.revokedAt?.toISOString() ?? '',
          })),
        );
      });
    });
  keys
    .command('revoke')
    .description('Revoke an API key by id or prefix')
    .argument('<key>', 'key id or prefix')
    .action(async (idOrPrefix: string) => {
      await withRuntime({ purpose: 'clinote keys revoke' }, async (rt) => {
        const key = await revokeKey(rt.db, idOrPrefix);
        if (!key) throw new CommandInputError(`No API key with id or prefix "${idOrPrefix}".`);
        process.stdout.write(`revoked ${key.id} (${key.role}, ${key.label})\n`);
      });
    });
}
