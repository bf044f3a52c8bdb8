import { gql } from "@apollo/client";

export const SENDER_FIELDS = gql`
  fragment ImportedFields on SmtpConfiguration { id host port }
`;
