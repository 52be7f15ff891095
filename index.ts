// Entry point named by Pulumi.yaml. Pulumi calls an exported function and uses its result as the
// stack's outputs; exporting a function (not running at import) lets tests and `plan` evaluate
// the program more than once in one process.
import { program } from "./stacks/program";

export = program;
