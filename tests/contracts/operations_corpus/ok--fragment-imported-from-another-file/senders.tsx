import { gql } from "@apollo/client";
import { FIELDS } from ".";

export const SENDERS = gql`
  ${FIELDS}
  query Senders($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { ...ImportedFields } }
  }
`;
