import { gql } from "@apollo/client";

// An old version: gql`query Old { removedField }`
/* graphql(`{ alsoRemoved }`) */
const help = "Write your query as gql`{ nope }` and pass it to useQuery";
const doc = 'graphql(`{ nope }`)';

export const SENDERS = gql`
  query Senders($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { id } }
  }
`;

export function Help() {
  return <p title={help}>{doc} {"gql`{ nope }`"}</p>;
}
