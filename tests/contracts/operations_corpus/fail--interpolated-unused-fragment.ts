import { gql } from "@apollo/client";

// One template, two fragments: interpolating it sends both, as graphql-tag does.
const FRAGMENTS = gql`
  fragment UsedFields on SmtpConfiguration { id }
  fragment UnusedFields on SmtpConfiguration { host }
`;

export const SENDERS = gql`
  query Senders($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { ...UsedFields } }
  }
  ${FRAGMENTS}
`;
