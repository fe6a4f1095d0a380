"""Evidence packs (« dossiers de preuves »): everything that proves one learner's distance training, as a ZIP.

An auditor (Qualiopi) or a funder asks for « tout élément probant » of a distance training: the
documents issued, the connection log, the assessments, the completions, the time spent. A pack holds
them as files with a French README saying what each proves, and a ``manifest.json`` listing the
SHA-256 of every file, signed with the organisation's key like the certificates' credential, so any
later change to the archive shows. Packs are streamed: files are written to the response as they
are made, so a 1,000-learner group never sits in memory.
"""
