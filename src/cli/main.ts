import { buildProgram } from './program.ts';

const program = await buildProgram();
await program.parseAsync(process.argv);
