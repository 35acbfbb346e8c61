// What every command receives from main(): the version, the built-in scenario and the two
// output streams (tests run main() in-process and capture them).

export interface CommandContext {
  readonly version: string;
  readonly defaultScenario: string;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}
