/**
 * A Redis-protocol (RESP2) key-value server written as an ordinary single-threaded program over
 * one plain {@code HashMap}, run on the transactional reactor ({@code ./ame redis}): under the
 * agent every command batch is a transaction, so the server uses every core and still behaves
 * as if one thread ran it. Owns the wire format ({@code RespParser}, {@code Reply}), the data
 * ({@code Keyspace}), the commands ({@code Commands}) and the entry point ({@code RedisServer}).
 */
package org.ame4jexamples.redis;
