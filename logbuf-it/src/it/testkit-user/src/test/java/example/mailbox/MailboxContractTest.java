package example.mailbox;

import dev.logbuf.testkit.ChannelContract;
import dev.logbuf.testkit.ChannelFactory;
import dev.logbuf.testkit.Variants;

/**
 * Every property of the testkit's channel contracts (and so of its ring
 * contracts) against the channel a {@link Mailbox} is built on, through the
 * mailbox's own handles.
 */
class MailboxContractTest extends ChannelContract {

    @Override
    protected ChannelFactory factory() {
        return ChannelFactory.of("Mailbox", true, capacity -> {
            final Mailbox mailbox = Mailbox.create(capacity);
            return new Variants.ChannelAdapter(mailbox.sender(), mailbox.sender()::duplicate, mailbox.receiver());
        });
    }
}
