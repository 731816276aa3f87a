"""The notifier's backends all honour one interface, so the notifier calls them without guessing."""

from therapy_timer.notify import Note, Notifier, TerminalBackend


def test_every_backend_can_be_prepared_and_asked_before_sending():
    printed: list[str] = []
    terminal = TerminalBackend(printed.append)
    notifier = Notifier(desktop=[terminal], fallback=TerminalBackend(printed.append), log=printed.append)
    terminal.prepare()  # it used to lack prepare(); the notifier papered over that with getattr
    notifier.prepare()
    assert terminal.problem() is None
    assert notifier.send(Note("Ice on now", "Wrapped in a towel.")).backend == "terminal"
    assert printed == [">>> Ice on now: Wrapped in a towel."]
