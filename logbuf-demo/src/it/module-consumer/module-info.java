/** A user's application on the module path: it needs only the channel (the queue comes transitively). */
module example.consumer {
    requires dev.logbuf.channel;
}
