import { gql } from "@apollo/client";
import type { SendersQuery, SendersQueryVariables } from "./generated";

export const SENDERS = gql<SendersQuery, SendersQueryVariables>`
  query Senders($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { id host } }
  }
`;
export const ONE = gql<SendersQuery>`
  query One($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { port } }
  }
`;
