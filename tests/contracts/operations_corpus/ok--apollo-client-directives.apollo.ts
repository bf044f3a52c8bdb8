import { gql } from "@apollo/client";

export const SENDERS = gql`
  query Senders($org: ID!, $withDetails: Boolean!) {
    smtpConfigurations(organizationId: $org) @connection(key: "senders") {
      nodes {
        id
        isSelected @client
        details @client { expanded @include(if: $withDetails) }
      }
    }
  }
`;
