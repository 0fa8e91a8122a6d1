// Maven 3.8's default Surefire, 2.12.4, has no JUnit Platform provider: it
// ran none of the contracts, so the kit's guard failed the build, naming the
// Surefire that ran and what to pin, instead of a "Tests run: 0" success.
def log = new File(basedir, 'build.log').text
assert log.contains('maven-surefire-plugin:2.12.4:test') : 'Surefire 2.12.4 did not run'
assert log.contains('testkitContractsNeedTheJUnitPlatform') : 'the guard did not run'
assert log.contains("logbuf-testkit's contracts run on the JUnit Platform") : "the guard's message is missing"
assert log.contains("this build's Surefire (version 2.12.4) ran none of com.example.MyChannelContractTest's") :
        'the message does not name the Surefire version or the contract class'
assert log.contains('Pin maven-surefire-plugin (and maven-failsafe-plugin) to 3.0.0 or later') : 'the message does not say what to pin'
assert log.contains('Tests run: 1, Failures: 1') : 'expected exactly the guard, failed'
// the limit the README states: a contract class that is not public is passed over, not run
def reports = new File(basedir, 'target/surefire-reports')
assert !new File(reports, 'com.example.HiddenChannelContractTest.txt').exists() :
        'Surefire 2.12.4 ran the package-private contract class: update the README and the guard\'s Javadoc'
assert new File(reports, 'com.example.MyChannelContractTest.txt').exists()
return true
