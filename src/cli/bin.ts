// The program's entry: bin/peakplan.js imports this. Sets the exit code, never calls process.exit.
import { main } from './main.js';

process.exitCode = await main();
