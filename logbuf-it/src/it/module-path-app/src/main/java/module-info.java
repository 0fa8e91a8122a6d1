/** A user's application on the module path, naming both logbuf modules it uses. */
module example.modular {
    requires dev.logbuf.queue;
    requires dev.logbuf.channel;
}
