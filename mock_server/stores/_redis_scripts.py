"""The Lua scripts that make each Redis write one atomic step."""

from __future__ import annotations

# KEYS: email keys..., sender keys..., the order list, then configuration
# keys..., configuration lists..., default keys...
# ARGV: ids..., JSON records..., configuration ids...
# Returns {0, whether the first item's configuration became the default}, or
# {the 1-based index of the first item whose address is taken (or repeated
# within the call), 0}.
ADD_ALL = """
local n = #ARGV / 3
local seen = {}
for i = 1, n do
  if redis.call('EXISTS', KEYS[i]) == 1 or seen[KEYS[i]] then return {i, 0} end
  seen[KEYS[i]] = true
end
local first_default = 0
for i = 1, n do
  redis.call('SET', KEYS[i], ARGV[i])
  redis.call('SET', KEYS[n + i], ARGV[n + i])
  redis.call('RPUSH', KEYS[2 * n + 1], ARGV[i])
  redis.call('SET', KEYS[2 * n + 1 + i], '@' .. ARGV[i])
  redis.call('RPUSH', KEYS[3 * n + 1 + i], ARGV[2 * n + i])
  local became = redis.call('SETNX', KEYS[4 * n + 1 + i], ARGV[2 * n + i])
  if i == 1 then first_default = became end
end
return {0, first_default}
"""

# KEYS: sender key, email key, order list, configuration key, configuration
# list, default key; ARGV: sender id, configuration id.
DELETE = """
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('LREM', KEYS[3], 0, ARGV[1])
redis.call('DEL', KEYS[4])
redis.call('LREM', KEYS[5], 0, ARGV[2])
if redis.call('GET', KEYS[6]) == ARGV[2] then redis.call('DEL', KEYS[6]) end
return 1
"""

# KEYS: configuration key, configuration list, default key;
# ARGV: configuration id, JSON record, then "1" (make it the default), "0"
# (do not) or "" (only when the organization has none). Returns whether it is
# the default.
ADD_CONFIGURATION = """
redis.call('SET', KEYS[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[1])
if ARGV[3] == '1' then
  redis.call('SET', KEYS[3], ARGV[1])
  return 1
end
if ARGV[3] == '0' then return 0 end
return redis.call('SETNX', KEYS[3], ARGV[1])
"""

# KEYS: configuration key, the key holding the record (the sender's or the
# configuration's own), default key; ARGV: configuration id, JSON record, the
# configuration key's expected value ("" when it holds its own record), then
# "1" (make it the default), "0" (stop being it) or "".
# Returns 1, or 0 when it was deleted meanwhile.
UPDATE_CONFIGURATION = """
local entry = redis.call('GET', KEYS[1])
if not entry then return 0 end
if ARGV[3] == '' then
  if string.sub(entry, 1, 1) == '@' then return 0 end
elseif entry ~= ARGV[3] or redis.call('EXISTS', KEYS[2]) == 0 then
  return 0
end
redis.call('SET', KEYS[2], ARGV[2])
if ARGV[4] == '1' then
  redis.call('SET', KEYS[3], ARGV[1])
elseif ARGV[4] == '0' and redis.call('GET', KEYS[3]) == ARGV[1] then
  redis.call('DEL', KEYS[3])
end
return 1
"""

# KEYS: configuration key, configuration list, default key; ARGV: its id.
# Deletes a configuration of no sender; returns whether it existed.
DELETE_CONFIGURATION = """
local entry = redis.call('GET', KEYS[1])
if not entry or string.sub(entry, 1, 1) == '@' then return 0 end
redis.call('DEL', KEYS[1])
redis.call('LREM', KEYS[2], 0, ARGV[1])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
return 1
"""
