<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Admin</name>
    <message>
        <source>Admin PIN</source>
        <translation>Mã PIN quản trị</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Wrong PIN. Attempts left before lockout: {left}</source>
        <translation>Sai mã PIN. Số lần thử còn lại trước khi bị khóa: {left}</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {seconds} s.</source>
        <translation>Nhập sai mã PIN quá nhiều lần. Thử lại sau {seconds} giây.</translation>
    </message>
    <message>
        <source>No admin PIN is set. Set one on this station with: station run --set-pin</source>
        <translation>Chưa đặt mã PIN quản trị. Đặt mã trên trạm này bằng lệnh: station run --set-pin</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>Close and lock</source>
        <translation>Đóng và khóa</translation>
    </message>
    <message>
        <source>Checkpoint (door or lane)</source>
        <translation>Điểm kiểm soát (cửa hoặc làn)</translation>
    </message>
    <message>
        <source>Enrollment</source>
        <translation>Đăng ký trạm</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Thư mục dữ liệu</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Trạm</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>Data and sync</source>
        <translation>Dữ liệu và đồng bộ</translation>
    </message>
    <message>
        <source>Upload queue</source>
        <translation>Hàng đợi tải lên</translation>
    </message>
    <message>
        <source>Upload now</source>
        <translation>Tải lên ngay</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Tải lên</translation>
    </message>
    <message>
        <source>Rule profile</source>
        <translation>Bộ quy tắc</translation>
    </message>
    <message>
        <source>When data is out of date</source>
        <translation>Khi dữ liệu đã cũ</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Quy tắc</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Use this camera</source>
        <translation>Dùng camera này</translation>
    </message>
    <message>
        <source>Keep entries at most (days)</source>
        <translation>Lưu bản ghi tối đa (ngày)</translation>
    </message>
    <message>
        <source>Keep uploaded entries (hours)</source>
        <translation>Giữ bản ghi đã tải lên (giờ)</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>Thời hạn lưu</translation>
    </message>
    <message>
        <source>Verdict shown for (seconds)</source>
        <translation>Thời gian hiện kết quả (giây)</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Âm thanh</translation>
    </message>
    <message>
        <source>Default language</source>
        <translation>Ngôn ngữ mặc định</translation>
    </message>
    <message>
        <source>New PIN (4 to 12 digits)</source>
        <translation>Mã PIN mới (4 đến 12 chữ số)</translation>
    </message>
    <message>
        <source>Change PIN</source>
        <translation>Đổi mã PIN</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>Màn hình kiosk</translation>
    </message>
    <message>
        <source>Run self-test</source>
        <translation>Chạy tự kiểm tra</translation>
    </message>
    <message>
        <source>Self-test</source>
        <translation>Tự kiểm tra</translation>
    </message>
    <message>
        <source>Enrolled as {station} at {hub}</source>
        <translation>Đã đăng ký là {station} tại {hub}</translation>
    </message>
    <message>
        <source>Not enrolled: run station enroll on this station</source>
        <translation>Chưa đăng ký: chạy lệnh station enroll trên trạm này</translation>
    </message>
    <message>
        <source>The entry log cannot be read.</source>
        <translation>Không đọc được nhật ký ra vào.</translation>
    </message>
    <message>
        <source>Waiting: {pending}. Uploaded: {uploaded}. Held back: {held}. Oldest waiting: {oldest}</source>
        <translation>Đang chờ: {pending}. Đã tải lên: {uploaded}. Bị giữ lại: {held}. Chờ lâu nhất từ: {oldest}</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Tuổi dữ liệu</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <source>Could not save: the disk refused.</source>
        <translation>Không lưu được: ổ đĩa từ chối ghi.</translation>
    </message>
    <message>
        <source>The checkpoint name must be 1 to 64 characters.</source>
        <translation>Tên điểm kiểm soát phải dài từ 1 đến 64 ký tự.</translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation>Mã PIN gồm 4 đến 12 chữ số.</translation>
    </message>
    <message>
        <source>PIN changed.</source>
        <translation>Đã đổi mã PIN.</translation>
    </message>
</context>
<context>
    <name>Age</name>
    <message>
        <source>never</source>
        <translation>chưa bao giờ</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} phút</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} giờ</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} ngày</translation>
    </message>
</context>
<context>
    <name>Counters</name>
    <message>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <source>Total: {count}</source>
        <translation>Tổng: {count}</translation>
    </message>
    <message>
        <source>No entry log on this station</source>
        <translation>Trạm này không có nhật ký ra vào</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Hợp lệ</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>Không hợp lệ</translation>
    </message>
    <message>
        <source>Checked by hand</source>
        <translation>Kiểm tra thủ công</translation>
    </message>
</context>
<context>
    <name>Direction</name>
    <message>
        <source>Entry</source>
        <translation>Vào</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Ra</translation>
    </message>
</context>
<context>
    <name>Freshness</name>
    <message>
        <source>up to date</source>
        <translation>mới</translation>
    </message>
    <message>
        <source>aging</source>
        <translation>sắp cũ</translation>
    </message>
    <message>
        <source>out of date</source>
        <translation>đã cũ</translation>
    </message>
    <message>
        <source>never synced</source>
        <translation>chưa đồng bộ</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>không rõ</translation>
    </message>
</context>
<context>
    <name>Keyboard</name>
    <message>
        <source>Done</source>
        <translation>Xong</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Xóa hết</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Dấu cách</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Chữ hoa</translation>
    </message>
    <message>
        <source>Caps lock</source>
        <translation>Khóa chữ hoa</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Type the ID number (12 or 9 digits)</source>
        <translation>Nhập số CCCD hoặc CMND (12 hoặc 9 chữ số)</translation>
    </message>
    <message>
        <source>Type the date of birth (day, month, year)</source>
        <translation>Nhập ngày sinh (ngày, tháng, năm)</translation>
    </message>
    <message>
        <source>An ID number has 12 or 9 digits.</source>
        <translation>Số giấy tờ gồm 12 hoặc 9 chữ số.</translation>
    </message>
    <message>
        <source>That is not a valid date of birth.</source>
        <translation>Ngày sinh không hợp lệ.</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>en</source>
        <extracomment>The code of the language the installed translation is in: the Vietnamese file translates this &quot;en&quot; as &quot;vi&quot;. How `Localized` values follow the language switch without a lookup table.</extracomment>
        <translation>vi</translation>
    </message>
</context>
<context>
    <name>Laptop</name>
    <message>
        <source>Open image…</source>
        <translation>Mở ảnh…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Dán</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <source>Passed.</source>
        <translation>Đạt.</translation>
    </message>
    <message>
        <source>Not checked: an earlier step failed.</source>
        <translation>Chưa kiểm tra: một bước trước đó không đạt.</translation>
    </message>
    <message>
        <source>Does not apply to this pass.</source>
        <translation>Không áp dụng cho thẻ này.</translation>
    </message>
    <message>
        <source>Nothing was scanned.</source>
        <translation>Chưa quét được gì.</translation>
    </message>
    <message>
        <source>The code holds more data than a QR code can: it is not a real pass.</source>
        <translation>Mã chứa nhiều dữ liệu hơn mức một mã QR có thể chứa: đây không phải thẻ thật.</translation>
    </message>
    <message>
        <source>This code is not a health pass or ID QR this station knows.</source>
        <translation>Mã này không phải thẻ y tế hay mã QR định danh mà trạm nhận biết.</translation>
    </message>
    <message>
        <source>This pass uses a version this station does not support.</source>
        <translation>Thẻ này dùng phiên bản mà trạm không hỗ trợ.</translation>
    </message>
    <message>
        <source>The request could not be read.</source>
        <translation>Không đọc được yêu cầu.</translation>
    </message>
    <message>
        <source>The picture could not be opened.</source>
        <translation>Không mở được ảnh.</translation>
    </message>
    <message>
        <source>No QR code could be read in the picture.</source>
        <translation>Không đọc được mã QR nào trong ảnh.</translation>
    </message>
    <message>
        <source>Several QR codes were seen at once: show one code at a time.</source>
        <translation>Thấy nhiều mã QR cùng lúc: mỗi lần chỉ đưa một mã.</translation>
    </message>
    <message>
        <source>This is another kind of barcode (a product or ticket code), not a pass.</source>
        <translation>Đây là loại mã vạch khác (mã sản phẩm hoặc vé), không phải thẻ.</translation>
    </message>
    <message>
        <source>The pass text is damaged (it contains characters a pass cannot have).</source>
        <extracomment>For the startup benchmark: when the first camera picture was painted.</extracomment>
        <translation>Nội dung thẻ bị hỏng (có ký tự mà thẻ không thể có).</translation>
    </message>
    <message>
        <source>The pass is not packed the way genuine passes are.</source>
        <translation>Thẻ không được đóng gói theo cách của thẻ thật.</translation>
    </message>
    <message>
        <source>The pass data is damaged and cannot be unpacked.</source>
        <translation>Dữ liệu thẻ bị hỏng, không giải nén được.</translation>
    </message>
    <message>
        <source>The pass unpacks to far more data than a real pass holds.</source>
        <translation>Thẻ giải nén ra nhiều dữ liệu hơn hẳn một thẻ thật.</translation>
    </message>
    <message>
        <source>The pass has extra data attached to it: it has been tampered with.</source>
        <translation>Thẻ có dữ liệu gắn thêm: thẻ đã bị can thiệp.</translation>
    </message>
    <message>
        <source>The pass content is damaged or not in the expected form.</source>
        <translation>Nội dung thẻ bị hỏng hoặc không đúng dạng.</translation>
    </message>
    <message>
        <source>The pass content has a field twice: it has been tampered with.</source>
        <translation>Nội dung thẻ có một trường lặp lại: thẻ đã bị can thiệp.</translation>
    </message>
    <message>
        <source>The signed envelope of the pass is damaged.</source>
        <translation>Phần bao có chữ ký của thẻ bị hỏng.</translation>
    </message>
    <message>
        <source>The pass content is not in the expected form.</source>
        <translation>Nội dung thẻ không đúng dạng.</translation>
    </message>
    <message>
        <source>The pass lacks its issue or expiry date.</source>
        <translation>Thẻ thiếu ngày cấp hoặc ngày hết hạn.</translation>
    </message>
    <message>
        <source>The pass has an issue or expiry date in the wrong form.</source>
        <translation>Ngày cấp hoặc ngày hết hạn của thẻ sai dạng.</translation>
    </message>
    <message>
        <source>The pass holds no health certificate.</source>
        <translation>Thẻ không chứa chứng nhận y tế nào.</translation>
    </message>
    <message>
        <source>The pass does not say how it was signed.</source>
        <translation>Thẻ không cho biết được ký bằng cách nào.</translation>
    </message>
    <message>
        <source>The pass is signed with a method that is not allowed.</source>
        <translation>Thẻ được ký bằng phương pháp không được phép.</translation>
    </message>
    <message>
        <source>The pass does not say which issuer key signed it.</source>
        <translation>Thẻ không cho biết khóa nào của nơi cấp đã ký.</translation>
    </message>
    <message>
        <source>The pass names its issuer key in a wrong form.</source>
        <translation>Thẻ ghi khóa của nơi cấp sai dạng.</translation>
    </message>
    <message>
        <source>The pass was signed by an issuer this station does not trust or know.</source>
        <translation>Thẻ được ký bởi nơi cấp mà trạm không tin cậy hoặc không biết.</translation>
    </message>
    <message>
        <source>The issuer key does not match the signing method the pass claims.</source>
        <translation>Khóa của nơi cấp không khớp với phương pháp ký mà thẻ ghi.</translation>
    </message>
    <message>
        <source>The issuer key is too weak to be trusted.</source>
        <translation>Khóa của nơi cấp quá yếu để tin cậy.</translation>
    </message>
    <message>
        <source>The signature of the pass is damaged.</source>
        <translation>Chữ ký của thẻ bị hỏng.</translation>
    </message>
    <message>
        <source>The signature does not match: the pass was altered or forged.</source>
        <translation>Chữ ký không khớp: thẻ đã bị sửa hoặc làm giả.</translation>
    </message>
    <message>
        <source>The pass is dated in the future: it is not valid yet.</source>
        <translation>Thẻ ghi ngày trong tương lai: chưa có hiệu lực.</translation>
    </message>
    <message>
        <source>The pass has expired.</source>
        <translation>Thẻ đã hết hạn.</translation>
    </message>
    <message>
        <source>The issuer key was not valid on the day of issue.</source>
        <translation>Khóa của nơi cấp không có hiệu lực vào ngày cấp thẻ.</translation>
    </message>
    <message>
        <source>The pass claims to last longer than its issuer key.</source>
        <translation>Thẻ ghi thời hạn dài hơn thời hạn khóa của nơi cấp.</translation>
    </message>
    <message>
        <source>The issuer key may not sign this kind of certificate.</source>
        <translation>Khóa của nơi cấp không được phép ký loại chứng nhận này.</translation>
    </message>
    <message>
        <source>The certificate content is incomplete or in the wrong form.</source>
        <translation>Nội dung chứng nhận thiếu hoặc sai dạng.</translation>
    </message>
    <message>
        <source>The certificate names a vaccine, test, result or country this station does not recognise.</source>
        <translation>Chứng nhận ghi loại vắc-xin, xét nghiệm, kết quả hoặc quốc gia mà trạm không nhận biết.</translation>
    </message>
    <message>
        <source>The pass must hold exactly one vaccination, test or recovery record.</source>
        <translation>Thẻ phải chứa đúng một bản ghi tiêm chủng, xét nghiệm hoặc khỏi bệnh.</translation>
    </message>
    <message>
        <source>This pass has been revoked by its issuer: do not accept it.</source>
        <translation>Thẻ này đã bị nơi cấp thu hồi: không chấp nhận.</translation>
    </message>
    <message>
        <source>The issuer key that signed this pass has been withdrawn.</source>
        <translation>Khóa của nơi cấp đã ký thẻ này đã bị rút lại.</translation>
    </message>
    <message>
        <source>The station&apos;s trust data is out of date: check the pass by hand.</source>
        <translation>Dữ liệu tin cậy của trạm đã cũ: hãy kiểm tra thẻ thủ công.</translation>
    </message>
    <message>
        <source>The pass does not meet the rules that apply here.</source>
        <translation>Thẻ không đáp ứng quy định áp dụng tại đây.</translation>
    </message>
    <message>
        <source>A rule could not be checked automatically: check the pass by hand.</source>
        <translation>Có quy định không kiểm tra tự động được: hãy kiểm tra thẻ thủ công.</translation>
    </message>
    <message>
        <source>No rules are set here for this kind of pass: check the pass by hand.</source>
        <translation>Tại đây chưa có quy định cho loại thẻ này: hãy kiểm tra thẻ thủ công.</translation>
    </message>
    <message>
        <source>The pass is not packed the way genuine passes are: it cannot be read.</source>
        <translation>Thẻ không được đóng gói theo cách của thẻ thật: không đọc được.</translation>
    </message>
    <message>
        <source>The pass holds extra or disguised files: it has been tampered with.</source>
        <translation>Thẻ chứa tệp thừa hoặc tệp ngụy trang: thẻ đã bị can thiệp.</translation>
    </message>
    <message>
        <source>The certificate inside the pass is damaged or in the wrong form.</source>
        <translation>Chứng nhận bên trong thẻ bị hỏng hoặc sai dạng.</translation>
    </message>
    <message>
        <source>The pass uses definitions this station does not hold, so its signature cannot be checked.</source>
        <translation>Thẻ dùng định nghĩa mà trạm không có, nên không kiểm tra được chữ ký.</translation>
    </message>
    <message>
        <source>The pass holds details its signature does not cover: do not accept it.</source>
        <translation>Thẻ chứa thông tin không được chữ ký bảo vệ: không chấp nhận.</translation>
    </message>
    <message>
        <source>This vaccination certificate was not issued by an issuer this station trusts.</source>
        <translation>Chứng nhận tiêm chủng này không do nơi cấp mà trạm tin cậy phát hành.</translation>
    </message>
    <message>
        <source>This station holds no keys to check DIVOC vaccination certificates: check by hand.</source>
        <translation>Trạm không có khóa để kiểm tra chứng nhận tiêm chủng DIVOC: hãy kiểm tra thủ công.</translation>
    </message>
    <message>
        <source>The pass text is damaged (its digits are not those of a SMART Health Card).</source>
        <translation>Nội dung thẻ bị hỏng (các chữ số không phải của SMART Health Card).</translation>
    </message>
    <message>
        <source>The parts of this multi-part pass do not belong together.</source>
        <translation>Các phần của thẻ nhiều phần này không thuộc cùng một thẻ.</translation>
    </message>
    <message>
        <source>This pass is split over several QR codes: scan every part.</source>
        <translation>Thẻ này chia thành nhiều mã QR: hãy quét tất cả các phần.</translation>
    </message>
    <message>
        <source>The signed envelope of the SMART Health Card is damaged.</source>
        <translation>Phần bao có chữ ký của SMART Health Card bị hỏng.</translation>
    </message>
    <message>
        <source>This station holds no keys to check SMART Health Cards: check the pass by hand.</source>
        <translation>Trạm không có khóa để kiểm tra SMART Health Card: hãy kiểm tra thẻ thủ công.</translation>
    </message>
    <message>
        <source>The station&apos;s copy of the issuer key does not match its key identifier.</source>
        <translation>Bản sao khóa của nơi cấp trên trạm không khớp với mã định danh khóa.</translation>
    </message>
    <message>
        <source>The SMART Health Card content is damaged or not in the expected form.</source>
        <translation>Nội dung SMART Health Card bị hỏng hoặc sai dạng.</translation>
    </message>
    <message>
        <source>The card names another issuer than the one whose key signed it.</source>
        <translation>Thẻ ghi một nơi cấp khác với nơi có khóa đã ký thẻ.</translation>
    </message>
    <message>
        <source>This ID QR is damaged or not in the expected form.</source>
        <translation>Mã QR định danh này bị hỏng hoặc sai dạng.</translation>
    </message>
    <message>
        <source>The ID QR holds a date that does not exist or lies in the future.</source>
        <translation>Mã QR định danh có ngày không tồn tại hoặc nằm trong tương lai.</translation>
    </message>
    <message>
        <source>The ID number in the QR is not a valid Vietnamese ID number.</source>
        <translation>Số định danh trong mã QR không phải số định danh hợp lệ của Việt Nam.</translation>
    </message>
    <message>
        <source>The ID number does not match the birth date or sex in the QR: it has been altered.</source>
        <translation>Số định danh không khớp với ngày sinh hoặc giới tính trong mã QR: mã đã bị sửa.</translation>
    </message>
    <message>
        <source>The national status list records this person as testing positive: do not let them in.</source>
        <translation>Danh sách tình trạng quốc gia ghi người này dương tính: không cho vào.</translation>
    </message>
    <message>
        <source>The national status list says this person must stay in isolation: do not let them in.</source>
        <translation>Danh sách tình trạng quốc gia ghi người này phải cách ly: không cho vào.</translation>
    </message>
    <message>
        <source>The national status list records this person as a close contact of a case: do not let them in.</source>
        <translation>Danh sách tình trạng quốc gia ghi người này là tiếp xúc gần với ca bệnh: không cho vào.</translation>
    </message>
    <message>
        <source>No vaccination, test or recovery is on record for this person: ask for a signed pass.</source>
        <translation>Không có thông tin tiêm chủng, xét nghiệm hay khỏi bệnh của người này: hãy yêu cầu xuất trình thẻ có chữ ký.</translation>
    </message>
    <message>
        <source>This person&apos;s record on the national status list has run out: ask for a signed pass.</source>
        <translation>Thông tin của người này trên danh sách tình trạng quốc gia đã hết hạn: hãy yêu cầu xuất trình thẻ có chữ ký.</translation>
    </message>
    <message>
        <source>This station has no national status list: ask for a signed vaccination, test or recovery pass.</source>
        <translation>Trạm chưa có danh sách tình trạng quốc gia: hãy yêu cầu xuất trình thẻ tiêm chủng, xét nghiệm hoặc khỏi bệnh có chữ ký.</translation>
    </message>
    <message>
        <source>This QR has no citizen ID number to look up on the national status list: ask for a signed pass.</source>
        <translation>Mã QR này không có số định danh công dân để tra trên danh sách tình trạng quốc gia: hãy yêu cầu xuất trình thẻ có chữ ký.</translation>
    </message>
    <message>
        <source>The pass text is damaged (it is not in the form an NZ COVID Pass has).</source>
        <translation>Nội dung thẻ bị hỏng (không đúng dạng của NZ COVID Pass).</translation>
    </message>
    <message>
        <source>This NZ COVID Pass was not issued by the NZ Ministry of Health.</source>
        <translation>NZ COVID Pass này không do Bộ Y tế New Zealand cấp.</translation>
    </message>
    <message>
        <source>This station holds no keys to check NZ COVID Passes: check the pass by hand.</source>
        <translation>Trạm không có khóa để kiểm tra NZ COVID Pass: hãy kiểm tra thẻ thủ công.</translation>
    </message>
    <message>
        <source>The pass lacks a valid pass number.</source>
        <translation>Thẻ thiếu số thẻ hợp lệ.</translation>
    </message>
    <message>
        <source>This kind of NZ COVID Pass is not accepted here.</source>
        <translation>Loại NZ COVID Pass này không được chấp nhận tại đây.</translation>
    </message>
    <message>
        <source>The seal text is damaged or not written the way genuine seals are.</source>
        <translation>Nội dung con dấu bị hỏng hoặc không được viết theo cách của con dấu thật.</translation>
    </message>
    <message>
        <source>The seal content has a field twice: it has been tampered with.</source>
        <translation>Nội dung con dấu có một trường lặp lại: đã bị can thiệp.</translation>
    </message>
    <message>
        <source>The seal content is nested far deeper than a genuine seal.</source>
        <translation>Nội dung con dấu lồng nhau sâu hơn hẳn một con dấu thật.</translation>
    </message>
    <message>
        <source>The seal lacks its header, message or signature part.</source>
        <translation>Con dấu thiếu phần đầu, phần nội dung hoặc phần chữ ký.</translation>
    </message>
    <message>
        <source>This kind of ICAO seal is not read here (only vaccination and test seals are).</source>
        <translation>Trạm không đọc loại con dấu ICAO này (chỉ đọc con dấu tiêm chủng và xét nghiệm).</translation>
    </message>
    <message>
        <source>The signing certificate inside the seal is damaged.</source>
        <translation>Chứng thư ký bên trong con dấu bị hỏng.</translation>
    </message>
    <message>
        <source>This station holds no country authorities to check ICAO seals: check the pass by hand.</source>
        <translation>Trạm không có cơ quan cấp của các nước để kiểm tra con dấu ICAO: hãy kiểm tra thẻ thủ công.</translation>
    </message>
    <message>
        <source>The seal comes from a country this station does not trust.</source>
        <translation>Con dấu đến từ một quốc gia mà trạm không tin cậy.</translation>
    </message>
    <message>
        <source>The seal was not signed under the issuing country&apos;s authority: it may be forged.</source>
        <translation>Con dấu không được ký dưới thẩm quyền của nước cấp: có thể là giả.</translation>
    </message>
    <message>
        <source>The certificate that signed the seal has expired.</source>
        <translation>Chứng thư đã ký con dấu đã hết hạn.</translation>
    </message>
    <message>
        <source>The certificate that signed the seal is not valid yet.</source>
        <translation>Chứng thư đã ký con dấu chưa có hiệu lực.</translation>
    </message>
    <message>
        <source>The country authority behind the seal is not valid now.</source>
        <translation>Cơ quan cấp của quốc gia đứng sau con dấu hiện không còn hiệu lực.</translation>
    </message>
    <message>
        <source>The station&apos;s clock is not trusted: check the pass&apos;s dates by hand.</source>
        <translation>Đồng hồ của trạm chưa đáng tin cậy: hãy tự kiểm tra các ngày ghi trên thẻ.</translation>
    </message>
</context>
<context>
    <name>Scan</name>
    <message>
        <source>Hold the QR code inside the frame</source>
        <translation>Đưa mã QR vào trong khung</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>Đang khởi động camera…</translation>
    </message>
    <message>
        <source>No picture: is the lens covered?</source>
        <translation>Không có hình: ống kính có bị che không?</translation>
    </message>
    <message>
        <source>Camera disconnected: check the cable</source>
        <translation>Mất kết nối camera: kiểm tra dây cáp</translation>
    </message>
    <message>
        <source>Camera not responding: check the cable</source>
        <translation>Camera không phản hồi: kiểm tra dây cáp</translation>
    </message>
    <message>
        <source>The camera source has ended</source>
        <translation>Nguồn camera đã kết thúc</translation>
    </message>
    <message>
        <source>The camera cannot be opened</source>
        <translation>Không mở được camera</translation>
    </message>
    <message>
        <source>Show your QR code</source>
        <translation>Xuất trình mã QR</translation>
    </message>
    <message>
        <source>Direction: Entry</source>
        <translation>Hướng: Vào</translation>
    </message>
    <message>
        <source>Direction: Exit</source>
        <translation>Hướng: Ra</translation>
    </message>
    <message>
        <source>No phone? Enter ID number</source>
        <extracomment>The language button names the *other* language, in that language (never translated).</extracomment>
        <translation>Không có điện thoại? Nhập số giấy tờ</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Quản trị</translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message>
        <source>Camera delivers pictures</source>
        <extracomment>Text no credential family claims: the verifier must say so, whatever its trust data.</extracomment>
        <translation>Camera có hình</translation>
    </message>
    <message>
        <source>Entry log writable</source>
        <translation>Ghi được nhật ký ra vào</translation>
    </message>
    <message>
        <source>Synced data fresh</source>
        <translation>Dữ liệu đồng bộ còn mới</translation>
    </message>
    <message>
        <source>Clock confirmed</source>
        <translation>Đồng hồ đã được xác nhận</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Âm thanh</translation>
    </message>
    <message>
        <source>Translations installed</source>
        <translation>Đã cài bản dịch</translation>
    </message>
    <message>
        <source>Verifier and trust data</source>
        <translation>Bộ kiểm tra và dữ liệu tin cậy</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Camera OK</source>
        <extracomment>(frequency Hz, duration s) per note; 0 Hz is a pause.</extracomment>
        <translation>Camera tốt</translation>
    </message>
    <message>
        <source>Camera starting</source>
        <translation>Đang mở camera</translation>
    </message>
    <message>
        <source>Camera not responding</source>
        <translation>Camera không phản hồi</translation>
    </message>
    <message>
        <source>Camera source ended</source>
        <translation>Hết nguồn camera</translation>
    </message>
    <message>
        <source>Camera cannot be opened</source>
        <translation>Không mở được camera</translation>
    </message>
    <message>
        <source>Checking…</source>
        <extracomment>The last sound asked for, played or muted (tests check which verdicts sounded). Below this much free space the strip warns before the disk is actually full. A pending upload older than this means the hub has not been reached for a while. The clock policy&apos;s states (`station.time_floor`); BELOW_FLOOR and JUMPED give no VALID verdict.</extracomment>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Data cannot be read</source>
        <translation>Lỗi đọc dữ liệu</translation>
    </message>
    <message>
        <source>Data never synced</source>
        <translation>Chưa đồng bộ</translation>
    </message>
    <message>
        <source>Clock confirmed</source>
        <translation>Giờ đã xác nhận</translation>
    </message>
    <message>
        <source>Clock not confirmed</source>
        <translation>Giờ chưa xác nhận</translation>
    </message>
    <message>
        <source>Storage OK</source>
        <translation>Bộ nhớ tốt</translation>
    </message>
    <message>
        <source>No picture</source>
        <translation>Không có hình</translation>
    </message>
    <message>
        <source>Camera disconnected</source>
        <translation>Mất kết nối camera</translation>
    </message>
    <message>
        <source>Disk full: not recording</source>
        <translation>Đầy bộ nhớ: không ghi</translation>
    </message>
    <message>
        <source>Disk read-only: not recording</source>
        <translation>Ổ chỉ đọc: không ghi</translation>
    </message>
    <message>
        <source>Log damaged: not recording</source>
        <translation>Nhật ký hỏng: không ghi</translation>
    </message>
    <message>
        <source>Storage error: not recording</source>
        <translation>Lỗi lưu: không ghi</translation>
    </message>
    <message>
        <source>No entry log: not recording</source>
        <translation>Không có nhật ký: không ghi</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>Chưa đăng ký</translation>
    </message>
    <message>
        <source>Synced {age} ago</source>
        <translation>Đồng bộ {age} trước</translation>
    </message>
    <message>
        <source>Data aging: {age}</source>
        <translation>Dữ liệu sắp cũ: {age}</translation>
    </message>
    <message>
        <source>Data out of date: {age}</source>
        <translation>Dữ liệu cũ: {age}</translation>
    </message>
    <message>
        <source>Disk almost full: {free}</source>
        <translation>Sắp đầy: còn {free}</translation>
    </message>
    <message>
        <source>Queue unknown</source>
        <translation>Không rõ hàng đợi</translation>
    </message>
    <message>
        <source>To send: {pending}, held: {held}</source>
        <translation>Chờ gửi: {pending}, giữ: {held}</translation>
    </message>
    <message>
        <source>All sent</source>
        <translation>Đã gửi hết</translation>
    </message>
    <message>
        <source>To send: {pending}</source>
        <translation>Chờ gửi: {pending}</translation>
    </message>
    <message>
        <source>Clock wrong: behind the last known time</source>
        <translation>Giờ sai: chậm hơn thời điểm đã biết</translation>
    </message>
    <message>
        <source>Clock jumped: check time</source>
        <translation>Giờ bị nhảy: kiểm tra lại giờ</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>VALID</source>
        <translation>HỢP LỆ</translation>
    </message>
    <message>
        <source>INVALID</source>
        <translation>KHÔNG HỢP LỆ</translation>
    </message>
    <message>
        <source>CHECK BY HAND</source>
        <translation>KIỂM TRA THỦ CÔNG</translation>
    </message>
    <message>
        <source>UNREADABLE</source>
        <translation>KHÔNG ĐỌC ĐƯỢC</translation>
    </message>
    <message>
        <source>CANNOT VERIFY</source>
        <translation>KHÔNG THỂ KIỂM TRA</translation>
    </message>
    <message>
        <source>All checks passed: compare the name and date of birth with an ID document.</source>
        <extracomment>Frame source spec; &quot;&quot; = the one saved in the admin panel, else camera:0. Sync and upload on their schedule (off for tests and benchmarks). Seconds between uploads of new entries (the demo uploads every few seconds). Pause after a source raised before reading it again (a vanished device is not hammered).</extracomment>
        <translation>Đạt mọi bước kiểm tra: đối chiếu họ tên và ngày sinh với giấy tờ tùy thân.</translation>
    </message>
    <message>
        <source>The station&apos;s trust data cannot be read: call the supervisor.</source>
        <extracomment>The station&apos;s language; `language` is the one shown for the person at the gate now. Seconds a verdict stays on screen before the scan screen returns (and the name clears). Frame source spec (see `station.scan.sources`); &quot;&quot; means camera:0. Which way people pass this station (&quot;in&quot; or &quot;out&quot;), remembered across restarts. Nothing could be read (an image without a code, an empty scan): no entry is logged. The station itself failed (trust data unreadable, an internal error). The icon&apos;s colour on its white disc. Colours with at least 4.5:1 contrast for their text; icons differ in shape as well. Reasons that mean nothing was read at all, rather than a pass that failed.</extracomment>
        <translation>Không đọc được dữ liệu tin cậy của trạm: hãy gọi người giám sát.</translation>
    </message>
    <message>
        <source>The station could not check this pass: call the supervisor.</source>
        <translation>Trạm không kiểm tra được thẻ này: hãy gọi người giám sát.</translation>
    </message>
    <message>
        <source>Cannot record entry: call supervisor</source>
        <translation>Không ghi được lượt ra vào: hãy gọi người giám sát</translation>
    </message>
    <message>
        <source>The station&apos;s data is out of date.</source>
        <translation>Dữ liệu của trạm đã cũ.</translation>
    </message>
    <message>
        <source>ID number entered by hand.</source>
        <translation>Số giấy tờ được nhập tay.</translation>
    </message>
    <message>
        <source>Date of birth: {date}</source>
        <extracomment>The window&apos;s Qt style sheet: dark screen, large rounded buttons, error texts in light red. Where a scanned text came from. Camera and wedge reads are repeat-filtered; the others are deliberate operator actions and always verified.</extracomment>
        <translation>Ngày sinh: {date}</translation>
    </message>
    <message>
        <source>Back to scanning in {seconds} s: tap to continue</source>
        <translation>Quay lại quét sau {seconds} giây: chạm để tiếp tục</translation>
    </message>
    <message>
        <source>{reason} Rule: {description}</source>
        <extracomment>A rules verdict&apos;s reason followed by the failing rule&apos;s own description.</extracomment>
        <translation>{reason} Quy tắc: {description}</translation>
    </message>
</context>
</TS>
