-- wrk script: the guide's mutation with a unique address per request.
local counter = 0
local thread_id = 0

setup = function(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"query":"mutation CreateSmtpCustomEmailWithConfiguration($senderName: String!, $emailAddress: String!, $smtpConfiguration: SmtpConfigurationInput) { createSmtpCustomEmailWithConfiguration(input: {senderName: $senderName, emailAddress: $emailAddress, smtpConfiguration: $smtpConfiguration}) { smtpCustomEmail { id emailAddress senderName smtpConfiguration { id host port organizationId ipRelayAuth } } } }","variables":{"senderName":"Bench","emailAddress":"bench-%d-%d-%d@acme.example","smtpConfiguration":{"host":"relay.acme.internal","port":25,"organizationId":"980700673","ipRelayAuth":true}}}',
    os.time(), tid or 0, counter)
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, body)
end
