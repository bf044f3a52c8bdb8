import { gql } from "@apollo/client";

export const SENDERS = gql`
  query Senders($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { id host } }
  }
`;
