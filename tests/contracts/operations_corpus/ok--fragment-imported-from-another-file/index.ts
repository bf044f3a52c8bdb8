export { SENDER_FIELDS as FIELDS } from "./fragments";
