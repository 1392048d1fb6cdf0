<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Admin</name>
    <message>
        <source>Admin PIN</source>
        <translation>Admin PIN</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Wrong PIN. Attempts left before lockout: {left}</source>
        <translation>Wrong PIN. Attempts left before lockout: {left}</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {seconds} s.</source>
        <translation>Too many wrong PINs. Try again in {seconds} s.</translation>
    </message>
    <message>
        <source>No admin PIN is set. Set one on this station with: station run --set-pin</source>
        <translation>No admin PIN is set. Set one on this station with: station run --set-pin</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>Close and lock</source>
        <translation>Close and lock</translation>
    </message>
    <message>
        <source>Checkpoint (door or lane)</source>
        <translation>Checkpoint (door or lane)</translation>
    </message>
    <message>
        <source>Enrollment</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Data and sync</source>
        <translation>Data and sync</translation>
    </message>
    <message>
        <source>Upload queue</source>
        <translation>Upload queue</translation>
    </message>
    <message>
        <source>Upload now</source>
        <translation>Upload now</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Upload</translation>
    </message>
    <message>
        <source>Rule profile</source>
        <translation>Rule profile</translation>
    </message>
    <message>
        <source>When data is out of date</source>
        <translation>When data is out of date</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Use this camera</source>
        <translation>Use this camera</translation>
    </message>
    <message>
        <source>Keep entries at most (days)</source>
        <translation>Keep entries at most (days)</translation>
    </message>
    <message>
        <source>Keep uploaded entries (hours)</source>
        <translation>Keep uploaded entries (hours)</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>Retention</translation>
    </message>
    <message>
        <source>Verdict shown for (seconds)</source>
        <translation>Verdict shown for (seconds)</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Sound</translation>
    </message>
    <message>
        <source>Default language</source>
        <translation>Default language</translation>
    </message>
    <message>
        <source>New PIN (4 to 12 digits)</source>
        <translation>New PIN (4 to 12 digits)</translation>
    </message>
    <message>
        <source>Change PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>Kiosk</translation>
    </message>
    <message>
        <source>Run self-test</source>
        <translation>Run self-test</translation>
    </message>
    <message>
        <source>Self-test</source>
        <translation>Self-test</translation>
    </message>
    <message>
        <source>Enrolled as {station} at {hub}</source>
        <translation>Enrolled as {station} at {hub}</translation>
    </message>
    <message>
        <source>Not enrolled: run station enroll on this station</source>
        <translation>Not enrolled: run station enroll on this station</translation>
    </message>
    <message>
        <source>The entry log cannot be read.</source>
        <translation>The entry log cannot be read.</translation>
    </message>
    <message>
        <source>Waiting: {pending}. Uploaded: {uploaded}. Held back: {held}. Oldest waiting: {oldest}</source>
        <translation>Waiting: {pending}. Uploaded: {uploaded}. Held back: {held}. Oldest waiting: {oldest}</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Could not save: the disk refused.</source>
        <translation>Could not save: the disk refused.</translation>
    </message>
    <message>
        <source>The checkpoint name must be 1 to 64 characters.</source>
        <translation>The checkpoint name must be 1 to 64 characters.</translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation>A PIN is 4 to 12 digits.</translation>
    </message>
    <message>
        <source>PIN changed.</source>
        <translation>PIN changed.</translation>
    </message>
</context>
<context>
    <name>Age</name>
    <message>
        <source>never</source>
        <translation>never</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} days</translation>
    </message>
</context>
<context>
    <name>Counters</name>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Total: {count}</source>
        <translation>Total: {count}</translation>
    </message>
    <message>
        <source>No entry log on this station</source>
        <translation>No entry log on this station</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>Invalid</translation>
    </message>
    <message>
        <source>Checked by hand</source>
        <translation>Checked by hand</translation>
    </message>
</context>
<context>
    <name>Direction</name>
    <message>
        <source>Entry</source>
        <translation>Entry</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Exit</translation>
    </message>
</context>
<context>
    <name>Freshness</name>
    <message>
        <source>up to date</source>
        <translation>up to date</translation>
    </message>
    <message>
        <source>aging</source>
        <translation>aging</translation>
    </message>
    <message>
        <source>out of date</source>
        <translation>out of date</translation>
    </message>
    <message>
        <source>never synced</source>
        <translation>never synced</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>Keyboard</name>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Space</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>Caps lock</source>
        <translation>Caps lock</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Type the ID number (12 or 9 digits)</source>
        <translation>Type the ID number (12 or 9 digits)</translation>
    </message>
    <message>
        <source>Type the date of birth (day, month, year)</source>
        <translation>Type the date of birth (day, month, year)</translation>
    </message>
    <message>
        <source>An ID number has 12 or 9 digits.</source>
        <translation>An ID number has 12 or 9 digits.</translation>
    </message>
    <message>
        <source>That is not a valid date of birth.</source>
        <translation>That is not a valid date of birth.</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>en</source>
        <extracomment>The code of the language the installed translation is in: the Vietnamese file translates this &quot;en&quot; as &quot;vi&quot;. How `Localized` values follow the language switch without a lookup table.</extracomment>
        <translation>en</translation>
    </message>
</context>
<context>
    <name>Laptop</name>
    <message>
        <source>Open image…</source>
        <translation>Open image…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Paste</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <source>Passed.</source>
        <translation>Passed.</translation>
    </message>
    <message>
        <source>Not checked: an earlier step failed.</source>
        <translation>Not checked: an earlier step failed.</translation>
    </message>
    <message>
        <source>Does not apply to this pass.</source>
        <translation>Does not apply to this pass.</translation>
    </message>
    <message>
        <source>Nothing was scanned.</source>
        <translation>Nothing was scanned.</translation>
    </message>
    <message>
        <source>The code holds more data than a QR code can: it is not a real pass.</source>
        <translation>The code holds more data than a QR code can: it is not a real pass.</translation>
    </message>
    <message>
        <source>This code is not a health pass or ID QR this station knows.</source>
        <translation>This code is not a health pass or ID QR this station knows.</translation>
    </message>
    <message>
        <source>This pass uses a version this station does not support.</source>
        <translation>This pass uses a version this station does not support.</translation>
    </message>
    <message>
        <source>The request could not be read.</source>
        <translation>The request could not be read.</translation>
    </message>
    <message>
        <source>The picture could not be opened.</source>
        <translation>The picture could not be opened.</translation>
    </message>
    <message>
        <source>No QR code could be read in the picture.</source>
        <translation>No QR code could be read in the picture.</translation>
    </message>
    <message>
        <source>Several QR codes were seen at once: show one code at a time.</source>
        <translation>Several QR codes were seen at once: show one code at a time.</translation>
    </message>
    <message>
        <source>This is another kind of barcode (a product or ticket code), not a pass.</source>
        <translation>This is another kind of barcode (a product or ticket code), not a pass.</translation>
    </message>
    <message>
        <source>The pass text is damaged (it contains characters a pass cannot have).</source>
        <extracomment>For the startup benchmark: when the first camera picture was painted.</extracomment>
        <translation>The pass text is damaged (it contains characters a pass cannot have).</translation>
    </message>
    <message>
        <source>The pass is not packed the way genuine passes are.</source>
        <translation>The pass is not packed the way genuine passes are.</translation>
    </message>
    <message>
        <source>The pass data is damaged and cannot be unpacked.</source>
        <translation>The pass data is damaged and cannot be unpacked.</translation>
    </message>
    <message>
        <source>The pass unpacks to far more data than a real pass holds.</source>
        <translation>The pass unpacks to far more data than a real pass holds.</translation>
    </message>
    <message>
        <source>The pass has extra data attached to it: it has been tampered with.</source>
        <translation>The pass has extra data attached to it: it has been tampered with.</translation>
    </message>
    <message>
        <source>The pass content is damaged or not in the expected form.</source>
        <translation>The pass content is damaged or not in the expected form.</translation>
    </message>
    <message>
        <source>The pass content has a field twice: it has been tampered with.</source>
        <translation>The pass content has a field twice: it has been tampered with.</translation>
    </message>
    <message>
        <source>The signed envelope of the pass is damaged.</source>
        <translation>The signed envelope of the pass is damaged.</translation>
    </message>
    <message>
        <source>The pass content is not in the expected form.</source>
        <translation>The pass content is not in the expected form.</translation>
    </message>
    <message>
        <source>The pass lacks its issue or expiry date.</source>
        <translation>The pass lacks its issue or expiry date.</translation>
    </message>
    <message>
        <source>The pass has an issue or expiry date in the wrong form.</source>
        <translation>The pass has an issue or expiry date in the wrong form.</translation>
    </message>
    <message>
        <source>The pass holds no health certificate.</source>
        <translation>The pass holds no health certificate.</translation>
    </message>
    <message>
        <source>The pass does not say how it was signed.</source>
        <translation>The pass does not say how it was signed.</translation>
    </message>
    <message>
        <source>The pass is signed with a method that is not allowed.</source>
        <translation>The pass is signed with a method that is not allowed.</translation>
    </message>
    <message>
        <source>The pass does not say which issuer key signed it.</source>
        <translation>The pass does not say which issuer key signed it.</translation>
    </message>
    <message>
        <source>The pass names its issuer key in a wrong form.</source>
        <translation>The pass names its issuer key in a wrong form.</translation>
    </message>
    <message>
        <source>The pass was signed by an issuer this station does not trust or know.</source>
        <translation>The pass was signed by an issuer this station does not trust or know.</translation>
    </message>
    <message>
        <source>The issuer key does not match the signing method the pass claims.</source>
        <translation>The issuer key does not match the signing method the pass claims.</translation>
    </message>
    <message>
        <source>The issuer key is too weak to be trusted.</source>
        <translation>The issuer key is too weak to be trusted.</translation>
    </message>
    <message>
        <source>The signature of the pass is damaged.</source>
        <translation>The signature of the pass is damaged.</translation>
    </message>
    <message>
        <source>The signature does not match: the pass was altered or forged.</source>
        <translation>The signature does not match: the pass was altered or forged.</translation>
    </message>
    <message>
        <source>The pass is dated in the future: it is not valid yet.</source>
        <translation>The pass is dated in the future: it is not valid yet.</translation>
    </message>
    <message>
        <source>The pass has expired.</source>
        <translation>The pass has expired.</translation>
    </message>
    <message>
        <source>The issuer key was not valid on the day of issue.</source>
        <translation>The issuer key was not valid on the day of issue.</translation>
    </message>
    <message>
        <source>The pass claims to last longer than its issuer key.</source>
        <translation>The pass claims to last longer than its issuer key.</translation>
    </message>
    <message>
        <source>The issuer key may not sign this kind of certificate.</source>
        <translation>The issuer key may not sign this kind of certificate.</translation>
    </message>
    <message>
        <source>The certificate content is incomplete or in the wrong form.</source>
        <translation>The certificate content is incomplete or in the wrong form.</translation>
    </message>
    <message>
        <source>The certificate names a vaccine, test, result or country this station does not recognise.</source>
        <translation>The certificate names a vaccine, test, result or country this station does not recognise.</translation>
    </message>
    <message>
        <source>The pass must hold exactly one vaccination, test or recovery record.</source>
        <translation>The pass must hold exactly one vaccination, test or recovery record.</translation>
    </message>
    <message>
        <source>This pass has been revoked by its issuer: do not accept it.</source>
        <translation>This pass has been revoked by its issuer: do not accept it.</translation>
    </message>
    <message>
        <source>The issuer key that signed this pass has been withdrawn.</source>
        <translation>The issuer key that signed this pass has been withdrawn.</translation>
    </message>
    <message>
        <source>The station&apos;s trust data is out of date: check the pass by hand.</source>
        <translation>The station&apos;s trust data is out of date: check the pass by hand.</translation>
    </message>
    <message>
        <source>The pass does not meet the rules that apply here.</source>
        <translation>The pass does not meet the rules that apply here.</translation>
    </message>
    <message>
        <source>A rule could not be checked automatically: check the pass by hand.</source>
        <translation>A rule could not be checked automatically: check the pass by hand.</translation>
    </message>
    <message>
        <source>No rules are set here for this kind of pass: check the pass by hand.</source>
        <translation>No rules are set here for this kind of pass: check the pass by hand.</translation>
    </message>
    <message>
        <source>The pass is not packed the way genuine passes are: it cannot be read.</source>
        <translation>The pass is not packed the way genuine passes are: it cannot be read.</translation>
    </message>
    <message>
        <source>The pass holds extra or disguised files: it has been tampered with.</source>
        <translation>The pass holds extra or disguised files: it has been tampered with.</translation>
    </message>
    <message>
        <source>The certificate inside the pass is damaged or in the wrong form.</source>
        <translation>The certificate inside the pass is damaged or in the wrong form.</translation>
    </message>
    <message>
        <source>The pass uses definitions this station does not hold, so its signature cannot be checked.</source>
        <translation>The pass uses definitions this station does not hold, so its signature cannot be checked.</translation>
    </message>
    <message>
        <source>The pass holds details its signature does not cover: do not accept it.</source>
        <translation>The pass holds details its signature does not cover: do not accept it.</translation>
    </message>
    <message>
        <source>This vaccination certificate was not issued by an issuer this station trusts.</source>
        <translation>This vaccination certificate was not issued by an issuer this station trusts.</translation>
    </message>
    <message>
        <source>This station holds no keys to check DIVOC vaccination certificates: check by hand.</source>
        <translation>This station holds no keys to check DIVOC vaccination certificates: check by hand.</translation>
    </message>
    <message>
        <source>The pass text is damaged (its digits are not those of a SMART Health Card).</source>
        <translation>The pass text is damaged (its digits are not those of a SMART Health Card).</translation>
    </message>
    <message>
        <source>The parts of this multi-part pass do not belong together.</source>
        <translation>The parts of this multi-part pass do not belong together.</translation>
    </message>
    <message>
        <source>This pass is split over several QR codes: scan every part.</source>
        <translation>This pass is split over several QR codes: scan every part.</translation>
    </message>
    <message>
        <source>The signed envelope of the SMART Health Card is damaged.</source>
        <translation>The signed envelope of the SMART Health Card is damaged.</translation>
    </message>
    <message>
        <source>This station holds no keys to check SMART Health Cards: check the pass by hand.</source>
        <translation>This station holds no keys to check SMART Health Cards: check the pass by hand.</translation>
    </message>
    <message>
        <source>The station&apos;s copy of the issuer key does not match its key identifier.</source>
        <translation>The station&apos;s copy of the issuer key does not match its key identifier.</translation>
    </message>
    <message>
        <source>The SMART Health Card content is damaged or not in the expected form.</source>
        <translation>The SMART Health Card content is damaged or not in the expected form.</translation>
    </message>
    <message>
        <source>The card names another issuer than the one whose key signed it.</source>
        <translation>The card names another issuer than the one whose key signed it.</translation>
    </message>
    <message>
        <source>This ID QR is damaged or not in the expected form.</source>
        <translation>This ID QR is damaged or not in the expected form.</translation>
    </message>
    <message>
        <source>The ID QR holds a date that does not exist or lies in the future.</source>
        <translation>The ID QR holds a date that does not exist or lies in the future.</translation>
    </message>
    <message>
        <source>The ID number in the QR is not a valid Vietnamese ID number.</source>
        <translation>The ID number in the QR is not a valid Vietnamese ID number.</translation>
    </message>
    <message>
        <source>The ID number does not match the birth date or sex in the QR: it has been altered.</source>
        <translation>The ID number does not match the birth date or sex in the QR: it has been altered.</translation>
    </message>
    <message>
        <source>The national status list records this person as testing positive: do not let them in.</source>
        <translation>The national status list records this person as testing positive: do not let them in.</translation>
    </message>
    <message>
        <source>The national status list says this person must stay in isolation: do not let them in.</source>
        <translation>The national status list says this person must stay in isolation: do not let them in.</translation>
    </message>
    <message>
        <source>The national status list records this person as a close contact of a case: do not let them in.</source>
        <translation>The national status list records this person as a close contact of a case: do not let them in.</translation>
    </message>
    <message>
        <source>No vaccination, test or recovery is on record for this person: ask for a signed pass.</source>
        <translation>No vaccination, test or recovery is on record for this person: ask for a signed pass.</translation>
    </message>
    <message>
        <source>This person&apos;s record on the national status list has run out: ask for a signed pass.</source>
        <translation>This person&apos;s record on the national status list has run out: ask for a signed pass.</translation>
    </message>
    <message>
        <source>This station has no national status list: ask for a signed vaccination, test or recovery pass.</source>
        <translation>This station has no national status list: ask for a signed vaccination, test or recovery pass.</translation>
    </message>
    <message>
        <source>This QR has no citizen ID number to look up on the national status list: ask for a signed pass.</source>
        <translation>This QR has no citizen ID number to look up on the national status list: ask for a signed pass.</translation>
    </message>
    <message>
        <source>The pass text is damaged (it is not in the form an NZ COVID Pass has).</source>
        <translation>The pass text is damaged (it is not in the form an NZ COVID Pass has).</translation>
    </message>
    <message>
        <source>This NZ COVID Pass was not issued by the NZ Ministry of Health.</source>
        <translation>This NZ COVID Pass was not issued by the NZ Ministry of Health.</translation>
    </message>
    <message>
        <source>This station holds no keys to check NZ COVID Passes: check the pass by hand.</source>
        <translation>This station holds no keys to check NZ COVID Passes: check the pass by hand.</translation>
    </message>
    <message>
        <source>The pass lacks a valid pass number.</source>
        <translation>The pass lacks a valid pass number.</translation>
    </message>
    <message>
        <source>This kind of NZ COVID Pass is not accepted here.</source>
        <translation>This kind of NZ COVID Pass is not accepted here.</translation>
    </message>
    <message>
        <source>The seal text is damaged or not written the way genuine seals are.</source>
        <translation>The seal text is damaged or not written the way genuine seals are.</translation>
    </message>
    <message>
        <source>The seal content has a field twice: it has been tampered with.</source>
        <translation>The seal content has a field twice: it has been tampered with.</translation>
    </message>
    <message>
        <source>The seal content is nested far deeper than a genuine seal.</source>
        <translation>The seal content is nested far deeper than a genuine seal.</translation>
    </message>
    <message>
        <source>The seal lacks its header, message or signature part.</source>
        <translation>The seal lacks its header, message or signature part.</translation>
    </message>
    <message>
        <source>This kind of ICAO seal is not read here (only vaccination and test seals are).</source>
        <translation>This kind of ICAO seal is not read here (only vaccination and test seals are).</translation>
    </message>
    <message>
        <source>The signing certificate inside the seal is damaged.</source>
        <translation>The signing certificate inside the seal is damaged.</translation>
    </message>
    <message>
        <source>This station holds no country authorities to check ICAO seals: check the pass by hand.</source>
        <translation>This station holds no country authorities to check ICAO seals: check the pass by hand.</translation>
    </message>
    <message>
        <source>The seal comes from a country this station does not trust.</source>
        <translation>The seal comes from a country this station does not trust.</translation>
    </message>
    <message>
        <source>The seal was not signed under the issuing country&apos;s authority: it may be forged.</source>
        <translation>The seal was not signed under the issuing country&apos;s authority: it may be forged.</translation>
    </message>
    <message>
        <source>The certificate that signed the seal has expired.</source>
        <translation>The certificate that signed the seal has expired.</translation>
    </message>
    <message>
        <source>The certificate that signed the seal is not valid yet.</source>
        <translation>The certificate that signed the seal is not valid yet.</translation>
    </message>
    <message>
        <source>The country authority behind the seal is not valid now.</source>
        <translation>The country authority behind the seal is not valid now.</translation>
    </message>
    <message>
        <source>The station&apos;s clock is not trusted: check the pass&apos;s dates by hand.</source>
        <translation>The station&apos;s clock is not trusted: check the pass&apos;s dates by hand.</translation>
    </message>
</context>
<context>
    <name>Scan</name>
    <message>
        <source>Hold the QR code inside the frame</source>
        <translation>Hold the QR code inside the frame</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>Starting the camera…</translation>
    </message>
    <message>
        <source>No picture: is the lens covered?</source>
        <translation>No picture: is the lens covered?</translation>
    </message>
    <message>
        <source>Camera disconnected: check the cable</source>
        <translation>Camera disconnected: check the cable</translation>
    </message>
    <message>
        <source>Camera not responding: check the cable</source>
        <translation>Camera not responding: check the cable</translation>
    </message>
    <message>
        <source>The camera source has ended</source>
        <translation>The camera source has ended</translation>
    </message>
    <message>
        <source>The camera cannot be opened</source>
        <translation>The camera cannot be opened</translation>
    </message>
    <message>
        <source>Show your QR code</source>
        <translation>Show your QR code</translation>
    </message>
    <message>
        <source>Direction: Entry</source>
        <translation>Direction: Entry</translation>
    </message>
    <message>
        <source>Direction: Exit</source>
        <translation>Direction: Exit</translation>
    </message>
    <message>
        <source>No phone? Enter ID number</source>
        <extracomment>The language button names the *other* language, in that language (never translated).</extracomment>
        <translation>No phone? Enter ID number</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message>
        <source>Camera delivers pictures</source>
        <extracomment>Text no credential family claims: the verifier must say so, whatever its trust data.</extracomment>
        <translation>Camera delivers pictures</translation>
    </message>
    <message>
        <source>Entry log writable</source>
        <translation>Entry log writable</translation>
    </message>
    <message>
        <source>Synced data fresh</source>
        <translation>Synced data fresh</translation>
    </message>
    <message>
        <source>Clock confirmed</source>
        <translation>Clock confirmed</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Sound</translation>
    </message>
    <message>
        <source>Translations installed</source>
        <translation>Translations installed</translation>
    </message>
    <message>
        <source>Verifier and trust data</source>
        <translation>Verifier and trust data</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Camera OK</source>
        <extracomment>(frequency Hz, duration s) per note; 0 Hz is a pause.</extracomment>
        <translation>Camera OK</translation>
    </message>
    <message>
        <source>Camera starting</source>
        <translation>Camera starting</translation>
    </message>
    <message>
        <source>Camera not responding</source>
        <translation>Camera not responding</translation>
    </message>
    <message>
        <source>Camera source ended</source>
        <translation>Camera source ended</translation>
    </message>
    <message>
        <source>Camera cannot be opened</source>
        <translation>Camera cannot be opened</translation>
    </message>
    <message>
        <source>Checking…</source>
        <extracomment>The last sound asked for, played or muted (tests check which verdicts sounded). Below this much free space the strip warns before the disk is actually full. A pending upload older than this means the hub has not been reached for a while. The clock policy&apos;s states (`station.time_floor`); BELOW_FLOOR and JUMPED give no VALID verdict.</extracomment>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Data cannot be read</source>
        <translation>Data cannot be read</translation>
    </message>
    <message>
        <source>Data never synced</source>
        <translation>Data never synced</translation>
    </message>
    <message>
        <source>Clock confirmed</source>
        <translation>Clock confirmed</translation>
    </message>
    <message>
        <source>Clock not confirmed</source>
        <translation>Clock not confirmed</translation>
    </message>
    <message>
        <source>Storage OK</source>
        <translation>Storage OK</translation>
    </message>
    <message>
        <source>No picture</source>
        <translation>No picture</translation>
    </message>
    <message>
        <source>Camera disconnected</source>
        <translation>Camera disconnected</translation>
    </message>
    <message>
        <source>Disk full: not recording</source>
        <translation>Disk full: not recording</translation>
    </message>
    <message>
        <source>Disk read-only: not recording</source>
        <translation>Disk read-only: not recording</translation>
    </message>
    <message>
        <source>Log damaged: not recording</source>
        <translation>Log damaged: not recording</translation>
    </message>
    <message>
        <source>Storage error: not recording</source>
        <translation>Storage error: not recording</translation>
    </message>
    <message>
        <source>No entry log: not recording</source>
        <translation>No entry log: not recording</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <source>Synced {age} ago</source>
        <translation>Synced {age} ago</translation>
    </message>
    <message>
        <source>Data aging: {age}</source>
        <translation>Data aging: {age}</translation>
    </message>
    <message>
        <source>Data out of date: {age}</source>
        <translation>Data out of date: {age}</translation>
    </message>
    <message>
        <source>Disk almost full: {free}</source>
        <translation>Disk almost full: {free}</translation>
    </message>
    <message>
        <source>Queue unknown</source>
        <translation>Queue unknown</translation>
    </message>
    <message>
        <source>To send: {pending}, held: {held}</source>
        <translation>To send: {pending}, held: {held}</translation>
    </message>
    <message>
        <source>All sent</source>
        <translation>All sent</translation>
    </message>
    <message>
        <source>To send: {pending}</source>
        <translation>To send: {pending}</translation>
    </message>
    <message>
        <source>Clock wrong: behind the last known time</source>
        <translation>Clock wrong: behind the last known time</translation>
    </message>
    <message>
        <source>Clock jumped: check time</source>
        <translation>Clock jumped: check time</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>VALID</source>
        <translation>VALID</translation>
    </message>
    <message>
        <source>INVALID</source>
        <translation>INVALID</translation>
    </message>
    <message>
        <source>CHECK BY HAND</source>
        <translation>CHECK BY HAND</translation>
    </message>
    <message>
        <source>UNREADABLE</source>
        <translation>UNREADABLE</translation>
    </message>
    <message>
        <source>CANNOT VERIFY</source>
        <translation>CANNOT VERIFY</translation>
    </message>
    <message>
        <source>All checks passed: compare the name and date of birth with an ID document.</source>
        <extracomment>Frame source spec; &quot;&quot; = the one saved in the admin panel, else camera:0. Sync and upload on their schedule (off for tests and benchmarks). Seconds between uploads of new entries (the demo uploads every few seconds). Pause after a source raised before reading it again (a vanished device is not hammered).</extracomment>
        <translation>All checks passed: compare the name and date of birth with an ID document.</translation>
    </message>
    <message>
        <source>The station&apos;s trust data cannot be read: call the supervisor.</source>
        <extracomment>The station&apos;s language; `language` is the one shown for the person at the gate now. Seconds a verdict stays on screen before the scan screen returns (and the name clears). Frame source spec (see `station.scan.sources`); &quot;&quot; means camera:0. Which way people pass this station (&quot;in&quot; or &quot;out&quot;), remembered across restarts. Nothing could be read (an image without a code, an empty scan): no entry is logged. The station itself failed (trust data unreadable, an internal error). The icon&apos;s colour on its white disc. Colours with at least 4.5:1 contrast for their text; icons differ in shape as well. Reasons that mean nothing was read at all, rather than a pass that failed.</extracomment>
        <translation>The station&apos;s trust data cannot be read: call the supervisor.</translation>
    </message>
    <message>
        <source>The station could not check this pass: call the supervisor.</source>
        <translation>The station could not check this pass: call the supervisor.</translation>
    </message>
    <message>
        <source>Cannot record entry: call supervisor</source>
        <translation>Cannot record entry: call supervisor</translation>
    </message>
    <message>
        <source>The station&apos;s data is out of date.</source>
        <translation>The station&apos;s data is out of date.</translation>
    </message>
    <message>
        <source>ID number entered by hand.</source>
        <translation>ID number entered by hand.</translation>
    </message>
    <message>
        <source>Date of birth: {date}</source>
        <extracomment>The window&apos;s Qt style sheet: dark screen, large rounded buttons, error texts in light red. Where a scanned text came from. Camera and wedge reads are repeat-filtered; the others are deliberate operator actions and always verified.</extracomment>
        <translation>Date of birth: {date}</translation>
    </message>
    <message>
        <source>Back to scanning in {seconds} s: tap to continue</source>
        <translation>Back to scanning in {seconds} s: tap to continue</translation>
    </message>
    <message>
        <source>{reason} Rule: {description}</source>
        <extracomment>A rules verdict&apos;s reason followed by the failing rule&apos;s own description.</extracomment>
        <translation>{reason} Rule: {description}</translation>
    </message>
</context>
</TS>
