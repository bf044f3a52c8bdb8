// GraphQL Inspector's own `validate` command, run on many cases in one Node
// process. Starting its CLI costs about 0.7 s of CPU, and the corpus has
// dozens of cases; this builds the command exactly as the CLI's entry point
// does (cli/cjs/index.js: same loaders, same options), on a fresh yargs parser
// per case, and keeps what the CLI would have ended with: the exit code and
// what it printed.
//
// Reads [[argument, ...], ...] (the arguments after `graphql-inspector`) as
// JSON on stdin; prints [{"code": exit code, "said": output}, ...].
"use strict";
const yargs = require("yargs/yargs");
const { useCommands } = require("@graphql-inspector/commands");
const { useLoaders } = require("@graphql-inspector/loaders");

const CONFIG = {
  loaders: ["code", "git", "github", "graphql", "json", "url"],
  commands: ["validate"],
};

class Exit extends Error {
  constructor(code) {
    super(`process.exit(${code})`);
    this.code = code;
  }
}

async function run(args) {
  const commands = useCommands({ config: CONFIG, loaders: useLoaders(CONFIG) });
  const root = yargs(args)
    .scriptName("graphql-inspector")
    .detectLocale(false)
    .exitProcess(false)
    .showHelpOnFail(false)
    // The CLI's failure path: yargs prints the error and exits with 1.
    .fail((message, error) => {
      throw error ?? new Error(message);
    });
  await commands.reduce((cli, command) => cli.command(command), root).parseAsync();
}

async function verdict(args) {
  let said = "";
  const write = { out: process.stdout.write, err: process.stderr.write };
  const keep = (chunk) => {
    said += String(chunk);
    return true;
  };
  process.stdout.write = keep;
  process.stderr.write = keep;
  process.exit = (code) => {
    throw new Exit(code ?? 0);
  };
  try {
    await run(args);
    return { code: 0, said };
  } catch (error) {
    if (error instanceof Exit) return { code: error.code, said };
    return { code: 1, said: `${said}${error?.stack ?? error}` };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const verdicts = [];
  for (const args of JSON.parse(input)) verdicts.push(await verdict(args));
  process.stdout.write(JSON.stringify(verdicts) + "\n");
}

const exit = process.exit.bind(process);
main().then(
  () => exit(0),
  (error) => {
    console.error(error);
    exit(2);
  },
);
