// The pom the testkit's README shows is this project's pom, word for word
// (once the Invoker has put in the versions), and it works: every contract
// ran on the JUnit Platform and passed, quietly, and the kit's guard for
// Surefires that cannot run them was not run as a test.
import groovy.xml.XmlSlurper

// 1. The README's pom and this pom have not drifted apart.
def readme = new File(testkitReadme).text
def blocks = (readme =~ /(?s)```xml\n(.*?)```/).collect { it[1] }
def shown = blocks.find { it.contains('<artifactId>my-channel</artifactId>') }
assert shown : "${testkitReadme} shows no pom of my-channel"
// (the README indents it as part of a list item; trailing blanks do not count)
def normalise = { String text -> text.stripIndent().readLines()*.replaceAll(/\s+$/, '').join('\n').trim() }
def built = new File(basedir, 'pom.xml').text
if (normalise(shown) != normalise(built)) {
    def a = normalise(shown).readLines(), b = normalise(built).readLines()
    def line = (0..<Math.max(a.size(), b.size())).find { a[it] != b[it] }
    assert false : "the README's pom and logbuf-it's testkit-readme-pom/pom.xml differ from line ${line + 1}:\n" +
            "  README: ${a[line]}\n  built:  ${b[line]}\nchange both (the IT's pom has @...@ where the README has versions)"
}

// 2. The contracts ran on the JUnit Platform, all passed, the guard was not a test.
def reports = new File(basedir, 'target/surefire-reports').listFiles().findAll { it.name ==~ /TEST-.*\.xml/ }
assert reports : 'no Surefire report: the tests did not run'
def cases = reports.collectMany { new XmlSlurper().parse(it).testcase.list() }
def names = cases.collect { it.@name.text() }
println "testkit-readme-pom: ${cases.size()} tests"
assert cases.size() >= 30 : "only ${cases.size()} contracts ran: ${names}"
['modelEquivalence', 'concurrentSendersKeepOrderAndLoseNothing', 'disconnectIsReportedOnlyAfterTheDrain'].each { property ->
    assert names.any { it.startsWith(property) } : "the contract ${property} did not run: ${names}"
}
assert !names.any { it.contains('testkitContractsNeedTheJUnitPlatform') } : 'the guard ran as a test on the JUnit Platform'
def failed = cases.findAll { it.failure.size() || it.error.size() || it.skipped.size() }
assert !failed : "failed or skipped: ${failed.collect { it.@name.text() }}"

// 3. Quiet: with jqwik.reporting.onlyfailures a passing property prints no report.
def log = new File(basedir, 'build.log').text
assert !log.contains('tries = ') : 'a passing property printed its jqwik report'
return true
