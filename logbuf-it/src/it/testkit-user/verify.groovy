// The user's suite ran the testkit's contracts, all of them passed, and its
// own tests ran beside them in the same engine; the build's enforcer found
// one version of each library (or the build would have failed).
import groovy.xml.XmlSlurper

def reports = new File(basedir, 'target/surefire-reports').listFiles().findAll { it.name ==~ /TEST-.*\.xml/ }
assert reports : 'no Surefire report: the tests did not run'
def cases = reports.collectMany { new XmlSlurper().parse(it).testcase.list() }
def failed = cases.findAll { it.failure.size() || it.error.size() }
def skipped = cases.findAll { it.skipped.size() }
def names = cases.collect { it.@classname.text() + '#' + it.@name.text() }
println "testkit-user: ${cases.size()} tests, ${failed.size()} failed, ${skipped.size()} skipped"
def contracts = names.findAll { it.startsWith('MailboxContractTest#') }
assert contracts.size() >= 30 : "only ${contracts.size()} contract tests ran: ${contracts}"
['modelEquivalence', 'concurrentSendersKeepOrderAndLoseNothing', 'disconnectIsReportedOnlyAfterTheDrain',
 'aDeadProducersClaimIsSteppedOver'].each { property ->
    assert contracts.any { it.contains("#${property}") } : "the contract ${property} did not run"
}
assert names.count { it.startsWith('MailboxTest#') } == 3 : "the user's own tests did not all run: ${names}"
assert !failed : "failed: ${failed.collect { it.@name.text() }}"
assert !skipped : "skipped: ${skipped.collect { it.@name.text() }}"
// logbuf came from the repository it was published to, as a download
def fromRepository = { String artifact ->
    def record = new File(localRepositoryPath, "dev/logbuf/${artifact}/${logbufVersion}/_remote.repositories")
    assert record.file && record.text.contains(">logbuf-staging=") : "${artifact} was not taken from the repository"
}
fromRepository('logbuf-testkit')
return true
