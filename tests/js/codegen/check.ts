// Compiled with `tsc --noEmit --strict` against what codegen generated: the
// port is a string in the result type and a number in the input types.
import type {
  CreateSmtpCustomEmailWithConfigurationMutation,
  CreateSmtpCustomEmailWithConfigurationMutationVariables,
} from "./generated/operations";
import type { SmtpConfigurationInput } from "./generated/schema-types";

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type Payload = NonNullable<
  CreateSmtpCustomEmailWithConfigurationMutation["createSmtpCustomEmailWithConfiguration"]
>;
type Sender = NonNullable<Payload["smtpCustomEmail"]>;
type ResultPort = NonNullable<Sender["smtpConfiguration"]>["port"];
type VariablesPort = NonNullable<
  CreateSmtpCustomEmailWithConfigurationMutationVariables["smtpConfiguration"]
>["port"];

export const resultPortIsString: Equals<ResultPort, string> = true;
export const inputPortIsNumber: Equals<SmtpConfigurationInput["port"], number> = true;
export const variablesPortIsNumber: Equals<VariablesPort, number> = true;
// @ts-expect-error: the result's port is never a number.
export const notANumber: ResultPort = 25;
