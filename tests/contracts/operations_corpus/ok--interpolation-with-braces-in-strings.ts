import { gql } from "@apollo/client";

const SENDER_FIELDS = gql`
  fragment SenderFields on SmtpConfiguration { id host }
`;
const fragmentFor = (options: { name: string; note: string }) =>
  options.name === "SenderFields" ? SENDER_FIELDS : SENDER_FIELDS;

export const SENDERS = gql`
  query Senders($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { ...SenderFields } }
  }
  ${fragmentFor({ name: "SenderFields", note: "a } alone in a string" })}
`;
