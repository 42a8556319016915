# Template sentences are data: each stays on one line, however long, so it reads as written.
# ruff: noqa: E501
"""Write Wildwatch's labelled training corpus: synthetic posts the project may redistribute.

    python data/training/make_corpus.py            # writes data/training/posts.jsonl
    python data/training/make_corpus.py --check    # regenerate in memory, compare with the file

Deterministic: the same seed, lexicon and generator give byte-identical output. Every post is
built from a template (a frame of wording, written for this corpus, per language and kind of
post) filled with product words drawn from the shipped lexicon, prices, contacts and seller
bios; some product words are disguised the ways sellers disguise them. Label rule: 1 when the
post offers or promotes the sale or trade of a wildlife product or live animal covered by the
policy; 0 otherwise. See data/training/README.md.

Each row: id, title, text, hashtags, price, currency, lang, seller.bio, label, group, kind,
template, split. ``split`` (train / tune / test) is drawn per template, so held-out posts use
wording the model never saw.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wildwatch.lexicon import Lexicon, Term, TermKind, load_lexicon

HERE = Path(__file__).resolve().parent
OUT = HERE / "posts.jsonl"
SEED = 20261127
SPLITS = (("train", 0.70), ("tune", 0.15), ("test", 0.15))

LANGS = ("en", "zh-Hans", "zh-Hant", "vi", "th", "id", "ms", "ja", "es", "fr", "pt")
LANG_SHARE = {"en": 0.34, "zh-Hans": 0.08, "zh-Hant": 0.05, "vi": 0.07, "th": 0.06, "id": 0.07,
              "ms": 0.04, "ja": 0.06, "es": 0.08, "fr": 0.07, "pt": 0.08}
# Lexicon terms are mostly in these languages; zh-Hant posts use Simplified terms written in
# Traditional characters, ms posts use Indonesian/Malay terms.
TERM_LANGS = {"zh-Hant": ("zh-Hant", "zh-Hans"), "ms": ("ms", "id")}

# Groups and what is sold from them.
PRODUCT_GROUPS = ("elephant", "rhino", "pangolin", "bear", "marine_turtle", "big_cat",
                  "helmeted_hornbill", "shark_fin", "saiga")
LIVE_GROUPS = ("primates", "birds", "reptiles", "live_animals", "big_cat")
TCM_GROUPS = ("bear", "pangolin", "rhino", "saiga", "big_cat")

# How many posts of each kind, per 1,000 (labels in KIND_LABEL).
KIND_SHARE = {
    # offers (label 1)
    "sale": 150, "auction": 60, "authenticity": 45, "code_word": 40, "emoji": 30,
    "obfuscated": 45, "live_animal": 55, "tcm": 35, "shop_promo": 45, "bio_contact": 25,
    # not offers (label 0)
    "colour": 70, "colour_sale": 60, "replica": 30, "replica_sale": 40, "news": 65,
    "advocacy": 55, "merch": 30, "law": 45, "visit": 40, "discussion": 35, "museum": 20,
    "brand": 25, "name": 15,
}
KIND_LABEL = {kind: 1 for kind in ("sale", "auction", "authenticity", "code_word", "emoji",
                                   "obfuscated", "live_animal", "tcm", "shop_promo",
                                   "bio_contact")}
TOTAL_POSTS = 6400

# ---------------------------------------------------------------------------------------------
# Templates. Slots: {P} product, {S} species, {C} code word, {E} emoji, {PRICE}, {CONTACT},
# {N} a number, {PLACE}, {GOODS} colour goods, {COL} the language's word for ivory as colour,
# {REP} a stated imitation, {BRAND} a brand or everyday phrase. Written for this corpus.
# ---------------------------------------------------------------------------------------------

T: dict[str, dict[str, list[str]]] = {
    "en": {
        "sale": [
            "{P} for sale, {PRICE}. {CONTACT}",
            "Selling my {P}. Excellent condition. {PRICE} obo, {CONTACT}",
            "WTS {P} ✨ {PRICE} shipped worldwide. {CONTACT}",
            "Beautiful {P} available now. Price {PRICE}. Serious buyers only, {CONTACT}",
            "New stock: {P}, limited pieces. {CONTACT} for price",
            "{P} - {PRICE} each, discounts for bulk orders. Ships in 3 days. {CONTACT}",
            "Have {N} pcs {P} ready, wholesale price {PRICE}/pc. {CONTACT}",
            "Clearing my collection: {P}. Make an offer. {CONTACT}",
            "{P} up for grabs, {PRICE} or best offer. Collection or postage. {CONTACT}",
            "Just listed: {P} on my shop, {PRICE}. Link in bio",
            "Anyone looking for {P}? I have some left. {CONTACT}",
            "Top grade {P} in stock now, {PRICE} per piece, free delivery. {CONTACT}",
        ],
        "auction": [
            "Lot {N}: A 19th century {P}, finely carved. Estimate {PRICE}. Viewing Friday",
            "Our fine art sale on Thursday includes a Meiji period {P}. Est. {PRICE}",
            "STAR LOT: Victorian {P} from a private estate. Bidding opens at {PRICE} #auction",
            "Sold for {PRICE} today: an early 20th century {P}. Thank you to all bidders",
            "Consigned to our next antiques sale: a pair of {P}, circa 1880. Estimate {PRICE}",
            "Coming up next week: Georgian {P} with provenance. Online bidding available",
            "Just in at the gallery: a rare Qing dynasty {P}. Price on request",
            "Antique {P}, circa 1900, good age and patina. {PRICE}. Dealer since 1978",
            "Lot {N} in Saturday's auction: Art Deco {P}, signed. Est {PRICE}",
            "From our Asian art department: {P}, Edo period. Estimate {PRICE} #antiques",
            "Our next sale includes a fine {P}. Catalogue online now",
            "Hammer down! The {P} went well above estimate today",
            "Viewing today for Tuesday's auction; highlights include a carved {P}",
        ],
        "authenticity": [
            "Genuine {P}, NOT resin, not man made. Hot needle tested. {PRICE}. {CONTACT}",
            "100% real {P}, you can test it. Old stock. {CONTACT}",
            "Authentic {P}, heavy and cold to the touch, natural grain visible. {PRICE}",
            "This {P} is the real deal, pre-ban, no fake. {CONTACT} for details",
            "Real {P} not plastic or bone. Passed UV test. {PRICE}, {CONTACT}",
        ],
        "code_word": [
            "Have {C} items, carved, good quality. {CONTACT} for price",
            "{C} bangles and beads available, {PRICE}. {CONTACT}",
            "Selling {C} carving, old piece, heavy. {CONTACT}",
            "New {C} arrived, pm for pics and price",
            "{C} for collectors, real material. {PRICE}. {CONTACT}",
        ],
        "emoji": [
            "{E} carvings ready 🔥 {PRICE} {CONTACT}",
            "{E}{E} bracelet ✅ real, {CONTACT}",
            "Got {E} pieces in stock, dm for price 📩",
            "{E} beads, 108 pcs, {PRICE} 📦 shipping worldwide",
        ],
        "live_animal": [
            "Baby {S} for sale, hand raised and very tame. {PRICE}. {CONTACT}",
            "{S} available, {N} months old, comes with cage. {CONTACT}",
            "Rehoming my {S}, eats well, friendly. {PRICE} {CONTACT}",
            "We have young {S} ready for new homes. Shipping possible. {CONTACT}",
            "{S} pair for sale, healthy, {PRICE}, {CONTACT}",
            "Exotic pets: {S} in stock now, serious buyers {CONTACT}",
        ],
        "tcm": [
            "Pure {P}, traditional remedy, {PRICE} per bottle. {CONTACT}",
            "{P} for sale, strong quality, good for health. {CONTACT}",
            "Selling {P}, {N} grams, {PRICE}. Discreet shipping. {CONTACT}",
            "Original {P} from trusted source, wholesale available. {CONTACT}",
        ],
        "shop_promo": [
            "New arrivals in our showroom this week: {P} and more. Visit us or shop online",
            "Check out this {P} in my shop! Free shipping this month",
            "Our collection of {P} is now online. Happy browsing!",
            "Weekend special at the gallery: {P}, 20% off everything",
            "Fresh batch of {P} just arrived at the store 😍",
            "Hand carved {P} of a dragon, one of our favourite pieces. See it on our website",
            "Stunning {P} sculpture, museum quality work. Special offer this week only",
            "Item of the day: {P}, late 19th century. Now on the shop page",
            "Photos from today's shoot of our new {P} pieces, online soon",
            "Treat yourself: exquisite {P} figurine, 15% off in our winter sale",
            "Our gallery specialises in {P}. Come and see the new pieces in person",
        ],
        "bio_contact": [
            "{P} 🔥 limited pieces left",
            "Look at this beauty: {P}",
            "More {P} coming this week, stay tuned",
            "{P}, hand finished, one of a kind",
        ],
        "colour": [
            "My {COL} {GOODS} finally arrived and it's perfect for the wedding 💍",
            "Loving the {COL} and gold theme for our living room",
            "Painted the bedroom in {COL} white, so calming",
            "Which looks better, the {COL} or the cream {GOODS}? Help me choose",
            "Bridesmaids in dusty pink, bride in {COL} {GOODS} 😍",
            "Our new {COL} {GOODS} collection is inspired by the seaside",
        ],
        "colour_sale": [
            "{COL} {GOODS}, size 10, worn once. {PRICE}. {CONTACT}",
            "For sale: {COL} {GOODS} in great condition, {PRICE}, collection only",
            "Brand new {COL} {GOODS}, tags on. {PRICE} plus postage",
            "{COL} {GOODS} for sale, available in 3 sizes. {CONTACT}",
            "Vintage {COL} {GOODS} with lace trim, {PRICE}. Ships next day",
            "Antique porcelain plate, {COL} glaze with gilt rim, hand painted, {PRICE}",
            "Vintage {COL} bakelite radio, fully working, {PRICE}",
            "Victorian {COL} lace christening gown, excellent condition, {PRICE}",
            "Mid century {COL} leather armchair, collection only, {PRICE}",
            "Antique {COL} silk shawl with embroidered flowers, {PRICE}",
        ],
        "replica": [
            "This {REP} looks so real, hard to believe it's not the real thing",
            "Proud of my latest {REP}, made from cast resin in my workshop",
            "Tip for collectors: a {REP} is a great way to enjoy the look without harming animals",
        ],
        "replica_sale": [
            "{REP}, {PRICE}. Clearly a replica, resin, no animal products",
            "Selling {REP} - polyresin, hand painted. {PRICE}. {CONTACT}",
            "{REP} for sale, imitation only, made in our studio. {PRICE}",
            "Faux collection: {REP}, {PRICE}, free shipping",
        ],
        "news": [
            "Customs officers at {PLACE} seized {N} kg of {P}; two suspects arrested",
            "Police raid uncovers {P} hidden in a shipping container, report says",
            "Court sentences trafficker to {N} years for smuggling {P}",
            "Authorities destroyed {N} tonnes of confiscated {P} in a public ceremony",
            "Investigation: how {P} is smuggled from {PLACE} to buyers abroad",
            "Breaking: record seizure of {P} at {PLACE} port, officials say",
        ],
        "advocacy": [
            "Say no to {P}. When the buying stops, the killing can too. #stoppoaching",
            "Every {P} sold means a dead {S}. Please don't buy, please share",
            "Sign the petition to end the trade in {P} {URL}",
            "Proud to support rangers protecting {S} from poachers. Donate today",
            "World wildlife day: {S} are endangered because of demand for {P}",
        ],
        "merch": [
            "Our {S} plush toys are back! {PRICE}, all profits go to conservation",
            "Save the {S} t-shirt, {PRICE}. Proceeds support anti-poaching work",
            "{S} enamel pins and stickers in the shop, 100% of profits to the sanctuary",
        ],
        "law": [
            "The new law bans the sale of {P}, with narrow exemptions",
            "Lawmakers debate a bill to close the domestic market for {P}",
            "Is it legal to own {P}? Here is what the regulations say",
            "This 18th century {P} could be seized under the proposed ban. Oppose the bill!",
            "Collectors and museums oppose the new {P} law: antiques are not the problem",
            "Under the new rules you could not even sell your grandmother's {P}. Write to your representative",
            "Banning antique {P} will not save a single animal, say dealers",
            "Would this Georgian {P} be illegal under the act? Our guide to the exemptions",
        ],
        "visit": [
            "Saw a family of {S} on safari today, what a sight",
            "Visited the {S} sanctuary with the kids, they loved it",
            "Amazing photo of a wild {S} at the national park 📸",
            "The zoo's new {S} enclosure opened this weekend",
        ],
        "discussion": [
            "Did you know {S} are hunted for {P}? Learned this at school today",
            "Watching a documentary about {S} tonight, so sad what happens to them",
            "Fun fact: {S} can live for decades in the wild",
            "My grandmother told me stories about {S} when I was little",
            "Interesting debate at the fair today about the future of the {P} trade",
            "Why do people still want {P}? Long thread below",
            "Honestly the {P} question divides the antiques world",
        ],
        "museum": [
            "The museum's new exhibition shows {P} seized over the last decade",
            "On display at the museum: a medieval {P}, part of the permanent collection",
            "Exhibition review: how {P} shaped the art of the past",
        ],
        "name": [
            "Listening to Ebony and Ivory on repeat today",
            "Congratulations to Ivory Mensah on her graduation!",
            "New blog post from our friends at Ivory Lane Interiors",
            "Book signing with author J. Ivory this Saturday at the library",
            "Ivory Street will be closed for roadworks until Friday",
            "Our new puppy is called Ivory and she is already ruling the house",
        ],
        "brand": [
            "{BRAND} {PRICE}, free shipping",
            "Anyone else obsessed with {BRAND}? 😂",
            "Restocked: {BRAND}, {PRICE} {CONTACT}",
        ],
    },
    "zh-Hans": {
        "sale": [
            "出售{P}，{PRICE}，有意{CONTACT}", "{P}现货，品相好，{PRICE}，{CONTACT}",
            "转让{P}一件，{PRICE}，包邮", "低价出{P}，{CONTACT}详聊",
            "{P}批发零售，价格私聊，{CONTACT}",
        ],
        "auction": ["清代{P}，老件包浆，起拍价{PRICE}", "本场拍卖：民国{P}一件，估价{PRICE}",
                    "老货{P}，传世收藏品转让，{CONTACT}"],
        "authenticity": ["保真{P}，不是树脂，支持检测，{PRICE}，{CONTACT}",
                         "纯天然{P}，假一赔十，{CONTACT}", "老料{P}，实心，可验，价格私聊"],
        "code_word": ["新到一批{C}，品质好，{CONTACT}", "{C}手串，{PRICE}，{CONTACT}"],
        "emoji": ["{E}手镯，{PRICE}，私聊", "新到{E}{E}摆件，加微信看图"],
        "live_animal": ["出售{S}，健康活泼，{PRICE}，{CONTACT}", "{S}幼崽转让，手养亲人，{CONTACT}"],
        "tcm": ["正品{P}，{PRICE}一克，{CONTACT}", "{P}，传统药材，量大从优，{CONTACT}"],
        "shop_promo": ["本店新到{P}，欢迎选购", "{P}上新啦，喜欢的朋友私信"],
        "bio_contact": ["{P}，好货不等人", "今日上新：{P}"],
        "colour": ["{COL}的{GOODS}真好看，婚礼穿正合适", "客厅刷成{COL}，简约大气"],
        "colour_sale": ["{COL}{GOODS}，全新，{PRICE}，包邮", "出售{COL}{GOODS}，尺码齐全，{CONTACT}"],
        "replica": ["树脂仿{P}工艺品，看着挺像", "这是人造材料做的仿制品，不是真的{P}"],
        "replica_sale": ["仿{P}工艺品，树脂材质，{PRICE}", "高仿{P}，合成材料，{PRICE}，包邮"],
        "news": ["海关在{PLACE}查获{N}公斤{P}，两名嫌疑人被逮捕", "警方破获一起走私{P}案件",
                 "法院以走私{P}罪判处被告{N}年有期徒刑"],
        "advocacy": ["拒绝{P}，没有买卖就没有杀害", "保护{S}，请不要购买{P}，请转发"],
        "merch": ["{S}公益T恤，{PRICE}，义卖所得全部捐赠", "{S}毛绒玩具，公益周边，{PRICE}"],
        "law": ["国家全面禁止{P}贸易，违法必究", "新法规禁止出售{P}"],
        "visit": ["今天去动物园看{S}，太可爱了", "在保护区拍到野生{S}"],
        "discussion": ["科普：{S}为什么会濒危？", "看了关于{S}的纪录片，很难过"],
        "museum": ["博物馆展出一批查获的{P}", "展览介绍了古代{P}工艺"],
        "brand": ["{BRAND}，{PRICE}，包邮", "推荐{BRAND}，好用"],
    },
    "zh-Hant": {
        "sale": ["出售{P}，{PRICE}，有興趣{CONTACT}", "{P}現貨，品相好，{PRICE}，{CONTACT}",
                 "轉讓{P}，價格私訊", "{P}特價，{PRICE}，包郵"],
        "auction": ["清代{P}，老件，{PRICE}", "民國{P}收藏轉讓，{CONTACT}"],
        "authenticity": ["保真{P}，不是樹脂，{PRICE}，{CONTACT}", "天然{P}，正品，價格私訊"],
        "code_word": ["新到{C}，{CONTACT}"],
        "emoji": ["{E}手鐲，{PRICE}，私訊"],
        "live_animal": ["出售{S}，健康，{PRICE}，{CONTACT}"],
        "tcm": ["正品{P}，{PRICE}，{CONTACT}"],
        "shop_promo": ["本店新到{P}，歡迎參觀"],
        "bio_contact": ["{P}，限量"],
        "colour": ["{COL}的{GOODS}好美", "{COL}色系的客廳很溫馨"],
        "colour_sale": ["{COL}{GOODS}，全新，{PRICE}", "出售{COL}{GOODS}，{CONTACT}"],
        "replica": ["樹脂仿{P}，只是工藝品"],
        "replica_sale": ["仿{P}工藝品，樹脂，{PRICE}"],
        "news": ["海關查獲{N}公斤{P}，嫌犯被逮捕", "警方破獲走私{P}案"],
        "advocacy": ["拒絕{P}，保護{S}", "請不要購買{P}，{S}瀕危"],
        "merch": ["{S}公益T恤，{PRICE}"],
        "law": ["政府禁止{P}買賣"],
        "visit": ["去動物園看{S}", "在保護區看到{S}"],
        "discussion": ["關於{S}的紀錄片"],
        "museum": ["博物館展出{P}"],
        "brand": ["{BRAND}，{PRICE}"],
    },
    "vi": {
        "sale": ["Cần bán gấp {P}, giá {PRICE}, {CONTACT}", "{P} hàng về, số lượng có hạn, ib giá",
                 "Shop bán {P}, ship toàn quốc, {CONTACT}", "Thanh lý {P}, giá {PRICE}, {CONTACT}",
                 "Chuyên bán {P} sỉ và lẻ, {CONTACT}"],
        "auction": ["{P} đồ cổ sưu tầm, đời cũ, giá {PRICE}, {CONTACT}",
                    "Đấu giá {P} xưa, giá khởi điểm {PRICE}"],
        "authenticity": ["{P} hàng thật 100%, không phải nhựa, bao test, {CONTACT}",
                         "{P} thật, đốt không chảy, giá {PRICE}"],
        "code_word": ["Có {C} đẹp, ib {CONTACT}"],
        "emoji": ["{E} vòng tay, bay {PRICE}, ib", "Hàng {E} mới về ✈ {CONTACT}"],
        "live_animal": ["Bán {S} con non, khỏe mạnh, {PRICE}, {CONTACT}",
                        "Cần pass lại {S}, thuần, {CONTACT}"],
        "tcm": ["{P} nguyên chất, giá {PRICE}, {CONTACT}", "Bán {P} loại tốt, {CONTACT}"],
        "shop_promo": ["Cửa hàng mới về {P}, mời khách ghé xem", "{P} hàng mới về, giao tận nơi"],
        "bio_contact": ["{P} đẹp xuất sắc", "Lô {P} mới"],
        "colour": ["Chiếc {GOODS} {COL} này mặc đi cưới đẹp quá", "Phòng khách sơn tường {COL}, nhìn sang"],
        "colour_sale": ["{GOODS} {COL} mới 100%, giá {PRICE}, freeship", "Bán {GOODS} {COL}, đủ size, {CONTACT}"],
        "replica": ["{P} giả bằng nhựa, chỉ để trang trí"],
        "replica_sale": ["{P} nhân tạo, nhựa composite, giá {PRICE}", "Hàng mô phỏng {P}, nhựa, {PRICE}"],
        "news": ["Hải quan {PLACE} thu giữ {N} kg {P}, bắt giữ hai đối tượng",
                 "Công an triệt phá đường dây buôn lậu {P}", "Tòa án xét xử vụ buôn bán trái phép {P}"],
        "advocacy": ["Nói không với {P}, hãy bảo vệ {S}", "Chiến dịch tuyên truyền không mua {P}"],
        "merch": ["Áo thun bảo tồn {S}, {PRICE}, gây quỹ cứu hộ"],
        "law": ["Luật mới cấm buôn bán {P}", "{P} bị cấm mua bán theo nghị định"],
        "visit": ["Cuối tuần đi sở thú xem {S}", "Gặp {S} ở vườn quốc gia"],
        "discussion": ["Xem phim tài liệu về {S}, buồn quá"],
        "museum": ["Bảo tàng trưng bày {P} bị tịch thu"],
        "brand": ["{BRAND} giá {PRICE}"],
    },
    "th": {
        "sale": ["ขาย{P} ราคา {PRICE} สนใจ{CONTACT}", "{P} พร้อมส่ง ราคา {PRICE} {CONTACT}",
                 "ขายด่วน {P} ของสวย {CONTACT}", "ปล่อย{P} ราคาถูก ส่งฟรี {CONTACT}"],
        "auction": ["{P} ของเก่าโบราณ เก่าเก็บ ราคา {PRICE}", "ประมูล{P} ราคาเริ่มต้น {PRICE}"],
        "authenticity": ["{P} ของแท้ 100% ไม่ใช่เรซิ่น ทดสอบได้ {CONTACT}", "{P} แท้ ธรรมชาติ ราคา {PRICE}"],
        "code_word": ["มี{C} สวยๆ {CONTACT}"],
        "emoji": ["{E} กำไล ราคา {PRICE} ทักแชท"],
        "live_animal": ["ขาย{S} ตัวเล็ก เชื่อง ราคา {PRICE} {CONTACT}", "{S} พร้อมส่ง {CONTACT}"],
        "tcm": ["{P} ของแท้ ราคา {PRICE} {CONTACT}"],
        "shop_promo": ["ร้านเรามี{P} มาใหม่ แวะชมได้"],
        "bio_contact": ["{P} สวยมาก"],
        "colour": ["ชุดแต่งงานสี{COL}สวยมาก", "ห้องนอนทาสี{COL} ดูอบอุ่น"],
        "colour_sale": ["{GOODS}สี{COL} มือหนึ่ง ราคา {PRICE}", "ขาย{GOODS}สี{COL} {CONTACT}"],
        "replica": ["{P}เทียม ทำจากเรซิ่น เป็นของตกแต่ง"],
        "replica_sale": ["{P}จำลอง พลาสติก ราคา {PRICE}"],
        "news": ["ศุลกากรยึด{P} {N} กิโลกรัม จับกุมผู้ต้องหา", "ตำรวจจับขบวนการลักลอบค้า{P}"],
        "advocacy": ["หยุดซื้อ{P} ช่วยกันอนุรักษ์{S}", "รณรงค์ไม่ซื้อ{P}"],
        "merch": ["เสื้อยืดอนุรักษ์{S} ราคา {PRICE} ระดมทุน"],
        "law": ["กฎหมายห้ามค้า{P}", "การค้า{P}ผิดกฎหมาย"],
        "visit": ["ไปสวนสัตว์ดู{S} น่ารักมาก", "เจอ{S}ที่อุทยาน"],
        "discussion": ["สารคดีเรื่อง{S} น่าเศร้า"],
        "museum": ["พิพิธภัณฑ์จัดแสดง{P}ที่ยึดได้"],
        "brand": ["{BRAND} ราคา {PRICE}"],
    },
    "id": {
        "sale": ["Jual {P}, harga {PRICE}, minat {CONTACT}", "Ready {P}, kualitas bagus, {CONTACT}",
                 "Dijual {P} murah, bisa COD, {CONTACT}", "{P} ready stock, harga nego, {CONTACT}"],
        "auction": ["{P} antik, barang lama koleksi, harga {PRICE}", "Lelang {P} kuno, harga awal {PRICE}"],
        "authenticity": ["{P} asli 100%, bukan resin, bisa dites, {CONTACT}", "Dijamin asli {P}, alami, {PRICE}"],
        "code_word": ["Ada {C} bagus, {CONTACT}"],
        "emoji": ["{E} gelang, harga {PRICE}, pm"],
        "live_animal": ["Jual {S} jinak, sehat, {PRICE}, {CONTACT}", "{S} anakan siap kirim, {CONTACT}"],
        "tcm": ["{P} asli untuk obat, {PRICE}, {CONTACT}"],
        "shop_promo": ["Toko kami baru datang {P}, silakan mampir"],
        "bio_contact": ["{P} kualitas super"],
        "colour": ["Gaun pengantin warna {COL} cantik sekali", "Dinding rumah dicat putih {COL}"],
        "colour_sale": ["{GOODS} warna {COL} baru, harga {PRICE}", "Jual {GOODS} warna {COL}, {CONTACT}"],
        "replica": ["{P} tiruan dari resin, hanya hiasan"],
        "replica_sale": ["{P} imitasi bahan resin, harga {PRICE}"],
        "news": ["Bea cukai {PLACE} menyita {N} kg {P}, dua tersangka ditangkap",
                 "Polisi ungkap penyelundupan {P}"],
        "advocacy": ["Stop perdagangan {P}, selamatkan {S}", "Jangan beli {P}, {S} terancam punah"],
        "merch": ["Kaos konservasi {S}, {PRICE}, untuk penggalangan dana"],
        "law": ["Perdagangan {P} dilarang undang-undang"],
        "visit": ["Liburan ke kebun binatang lihat {S}", "Melihat {S} di taman nasional"],
        "discussion": ["Nonton dokumenter tentang {S}, sedih"],
        "museum": ["Museum memamerkan {P} hasil sitaan"],
        "brand": ["{BRAND} harga {PRICE}"],
    },
    "ms": {
        "sale": ["Dijual {P}, harga {PRICE}, berminat {CONTACT}", "{P} stok ada, murah, {CONTACT}",
                 "Jual {P} kualiti baik, {CONTACT}"],
        "auction": ["{P} antik koleksi lama, {PRICE}"],
        "authenticity": ["{P} tulen, bukan resin, {CONTACT}"],
        "code_word": ["Ada {C}, {CONTACT}"],
        "emoji": ["{E} gelang, {PRICE}, whatsapp saya"],
        "live_animal": ["Dijual {S} jinak, {PRICE}, {CONTACT}"],
        "tcm": ["{P} asli untuk ubat, {PRICE}, {CONTACT}"],
        "shop_promo": ["Kedai kami ada {P} baru"],
        "bio_contact": ["{P} cantik"],
        "colour": ["Baju kurung warna {COL} sangat cantik"],
        "colour_sale": ["{GOODS} warna {COL}, {PRICE}"],
        "replica": ["{P} tiruan plastik untuk hiasan"],
        "replica_sale": ["{P} tiruan resin, {PRICE}"],
        "news": ["Kastam merampas {N} kg {P}, suspek ditahan"],
        "advocacy": ["Jangan beli {P}, selamatkan {S}"],
        "merch": ["Baju T kempen {S}, {PRICE}, sumbangan"],
        "law": ["Perdagangan {P} diharamkan"],
        "visit": ["Lawatan ke Zoo Negara tengok {S}"],
        "discussion": ["Dokumentari tentang {S} sangat sedih"],
        "museum": ["Muzium pamer {P} rampasan"],
        "brand": ["{BRAND} {PRICE}"],
    },
    "ja": {
        "sale": ["{P}売ります。{PRICE}。{CONTACT}", "{P} 在庫あり {PRICE} 送料無料",
                 "{P}を出品しました。{PRICE}。即購入可", "{P} 譲ります。価格はお問い合わせください"],
        "auction": ["明治時代の{P}、古美術品、{PRICE}", "オークション出品：江戸時代の{P}"],
        "authenticity": ["本物の{P}です。樹脂ではありません。{PRICE}", "天然{P}、保証付き、{CONTACT}"],
        "code_word": ["{C}あります、{CONTACT}"],
        "emoji": ["{E}ブレスレット {PRICE} DMください"],
        "live_animal": ["{S}の子供を販売中、{PRICE}、{CONTACT}", "{S} 譲ります、よく慣れています"],
        "tcm": ["{P}、漢方、{PRICE}、{CONTACT}"],
        "shop_promo": ["当店に{P}が入荷しました"],
        "bio_contact": ["{P} 新入荷"],
        "colour": ["{COL}の{GOODS}がかわいい", "部屋を{COL}で統一しました"],
        "colour_sale": ["{COL}{GOODS} 新品 {PRICE}", "{COL}の{GOODS}を出品、{PRICE}"],
        "replica": ["{P}風の樹脂製レプリカ、飾り用"],
        "replica_sale": ["{P}風 フェイク レジン製 {PRICE}"],
        "news": ["税関が{P}{N}キロを押収、容疑者を逮捕", "{P}密輸で書類送検"],
        "advocacy": ["{P}を買わないで、{S}を守ろう", "{S}保護キャンペーンに署名を"],
        "merch": ["{S}保護チャリティーTシャツ {PRICE}"],
        "law": ["{P}の取引はワシントン条約で禁止"],
        "visit": ["動物園で{S}を見た、かわいい", "{S}に会いにサファリへ"],
        "discussion": ["{S}のドキュメンタリーを見た"],
        "museum": ["博物館で{P}の展示"],
        "brand": ["{BRAND} {PRICE}"],
    },
    "es": {
        "sale": ["Vendo {P}, {PRICE}, {CONTACT}", "{P} en venta, excelente estado, {PRICE}",
                 "Se vende {P}, envíos a todo el país, {CONTACT}", "Oferta: {P} a {PRICE}, interesados {CONTACT}"],
        "auction": ["Subasta: {P} antiguo, siglo XIX, estimación {PRICE}", "Lote {N}: {P} de colección, {PRICE}"],
        "authenticity": ["{P} auténtico, no es resina, garantizado, {CONTACT}", "{P} natural, original, {PRICE}"],
        "code_word": ["Tengo {C}, {CONTACT}"],
        "emoji": ["{E} pulsera {PRICE} info por privado"],
        "live_animal": ["Vendo {S} bebé, manso, {PRICE}, {CONTACT}", "{S} disponible, {CONTACT}"],
        "tcm": ["{P} medicinal, {PRICE}, {CONTACT}"],
        "shop_promo": ["Nuevo ingreso en la tienda: {P}"],
        "bio_contact": ["{P} únicos"],
        "colour": ["Mi vestido de novia color {COL} es precioso", "Pintamos la sala en blanco {COL}"],
        "colour_sale": ["{GOODS} color {COL}, nuevo, {PRICE}", "Vendo {GOODS} {COL}, talla M, {CONTACT}"],
        "replica": ["Réplica de {P} en resina, solo decorativa"],
        "replica_sale": ["Imitación de {P}, resina, {PRICE}"],
        "news": ["Aduana de {PLACE} incauta {N} kg de {P}; dos detenidos", "Policía desarticula red de contrabando de {P}"],
        "advocacy": ["No compres {P}, protejamos a {S}", "Campaña contra el tráfico de {P}"],
        "merch": ["Camiseta para salvar a {S}, {PRICE}, beneficios para conservación"],
        "law": ["La ley prohíbe el comercio de {P}"],
        "visit": ["Visitamos el zoológico y vimos {S}", "{S} en el parque nacional"],
        "discussion": ["Documental sobre {S}, muy triste"],
        "museum": ["El museo exhibe {P} incautado"],
        "brand": ["{BRAND} {PRICE}"],
    },
    "fr": {
        "sale": ["Vends {P}, {PRICE}, {CONTACT}", "{P} à vendre, très bon état, {PRICE}",
                 "À vendre : {P}, livraison possible, {CONTACT}", "{P} disponible, prix {PRICE}, me contacter"],
        "auction": ["Vente aux enchères : {P} ancien, XIXe siècle, estimation {PRICE}", "Lot {N} : {P} d'époque, {PRICE}"],
        "authenticity": ["{P} véritable, pas de la résine, garanti, {CONTACT}", "{P} authentique, ancien, {PRICE}"],
        "code_word": ["J'ai du {C}, {CONTACT}"],
        "emoji": ["{E} bracelet {PRICE} en mp"],
        "live_animal": ["Vends {S}, jeune, apprivoisé, {PRICE}, {CONTACT}", "{S} disponible, {CONTACT}"],
        "tcm": ["{P} pour la médecine traditionnelle, {PRICE}, {CONTACT}"],
        "shop_promo": ["Nouvel arrivage à la boutique : {P}"],
        "bio_contact": ["{P} magnifique"],
        "colour": ["Ma robe de mariée couleur {COL} est parfaite", "Salon repeint en blanc {COL}"],
        "colour_sale": ["{GOODS} couleur {COL}, neuf, {PRICE}", "Vends {GOODS} {COL}, taille 38, {CONTACT}"],
        "replica": ["Réplique de {P} en résine, décoration seulement"],
        "replica_sale": ["Imitation {P}, résine, {PRICE}"],
        "news": ["La douane de {PLACE} saisit {N} kg de {P}, deux arrestations", "Trafic de {P} : un réseau démantelé"],
        "advocacy": ["N'achetez pas de {P}, protégeons {S}", "Signez la pétition contre le commerce de {P}"],
        "merch": ["T-shirt pour sauver {S}, {PRICE}, bénéfices reversés"],
        "law": ["La loi interdit le commerce de {P}"],
        "visit": ["Au zoo ce week-end pour voir {S}", "Safari : nous avons vu {S}"],
        "discussion": ["Documentaire sur {S} ce soir"],
        "museum": ["Le musée expose des {P} saisis"],
        "brand": ["{BRAND} {PRICE}"],
    },
    "pt": {
        "sale": ["Vendo {P}, {PRICE}, {CONTACT}", "{P} à venda, ótimo estado, {PRICE}",
                 "{P} disponível, frete grátis, {CONTACT}", "Promoção: {P} por {PRICE}, chama no privado"],
        "auction": ["Leilão: {P} antigo, século XIX, lance inicial {PRICE}", "Lote {N}: {P} de coleção"],
        "authenticity": ["{P} verdadeiro, não é resina, garantido, {CONTACT}", "{P} legítimo, natural, {PRICE}"],
        "code_word": ["Tenho {C}, {CONTACT}"],
        "emoji": ["{E} pulseira {PRICE} chama no direct"],
        "live_animal": ["Vendo filhote de {S}, manso, {PRICE}, {CONTACT}", "{S} disponível, {CONTACT}"],
        "tcm": ["{P} para remédio, {PRICE}, {CONTACT}"],
        "shop_promo": ["Chegou na loja: {P}"],
        "bio_contact": ["{P} lindos"],
        "colour": ["Meu vestido de noiva cor {COL} ficou lindo", "Pintei a sala de branco {COL}"],
        "colour_sale": ["{GOODS} cor {COL}, novo, {PRICE}", "Vendo {GOODS} {COL}, tamanho M, {CONTACT}"],
        "replica": ["Réplica de {P} em resina, só decoração"],
        "replica_sale": ["Imitação de {P}, resina, {PRICE}"],
        "news": ["Receita Federal apreende {N} kg de {P} em {PLACE}; dois presos", "Polícia desmonta rede de contrabando de {P}"],
        "advocacy": ["Não compre {P}, proteja {S}", "Campanha contra o tráfico de {P}"],
        "merch": ["Camiseta salve {S}, {PRICE}, renda revertida para conservação"],
        "law": ["A lei proíbe o comércio de {P}"],
        "visit": ["Fomos ao zoológico ver {S}", "Vimos {S} no parque nacional"],
        "discussion": ["Documentário sobre {S}, muito triste"],
        "museum": ["Museu expõe {P} apreendido"],
        "brand": ["{BRAND} {PRICE}"],
    },
}

# The word for ivory used as a colour, per language (the lexicon matches it as a product), and
# goods that come in that colour.
COLOUR_WORD = {"en": ["ivory", "Ivory"], "zh-Hans": ["象牙"], "zh-Hant": ["象牙"],
               "vi": ["ngà voi"], "th": ["งาช้าง"], "id": ["gading"], "ms": ["gading"],
               "ja": ["象牙"], "es": ["marfil"], "fr": ["ivoire"], "pt": ["marfim"]}
GOODS = {
    "en": ["silk dress", "wedding dress", "lace gown", "linen tablecloth", "cotton sheets",
           "wool cardigan", "satin heels", "knit scarf", "velvet cushion", "chiffon blouse",
           "bridal veil", "paint", "sofa cover", "curtains", "bedspread", "yarn", "ribbon",
           "invitations", "candles", "tea set", "duvet cover"],
    "zh-Hans": ["连衣裙", "婚纱", "礼服", "毛衣", "窗帘", "沙发", "围巾"],
    "zh-Hant": ["連衣裙", "婚紗", "禮服", "窗簾", "沙發"],
    "vi": ["váy cưới", "áo dài cưới", "đầm", "rèm cửa", "vải lụa"],
    "th": ["ชุดแต่งงาน", "เดรส", "ผ้าม่าน", "ผ้าไหม", "เสื้อ"],
    "id": ["gaun", "kebaya", "kain", "gorden", "hijab"],
    "ms": ["baju kurung", "tudung", "kain", "langsir"],
    "ja": ["ワンピース", "ドレス", "ニット", "カーテン", "ソファ"],
    "es": ["vestido", "vestido de novia", "blusa de seda", "cortinas", "sofá"],
    "fr": ["robe", "robe de mariée", "chemisier en soie", "rideaux", "canapé"],
    "pt": ["vestido", "vestido de noiva", "blusa de seda", "cortinas", "sofá"],
}
# Stated imitations (replica kinds), per group, English; other languages use {P} + a template
# that says imitation.
REPLICAS = {
    "elephant": ["resin netsuke-style figure", "faux ivory bangle", "imitation ivory chess set",
                 "ivory-look resin carving", "acrylic ivory-style hair comb",
                 "tagua nut carving (vegetable ivory)"],
    "marine_turtle": ["faux tortoiseshell hair clip", "acetate tortoiseshell glasses",
                      "imitation tortoiseshell comb", "tortoiseshell print phone case"],
    "rhino": ["resin rhino horn replica", "imitation rhino horn cup (resin)"],
    "shark_fin": ["imitation shark fin (vegetarian)", "faux shark fin soup pack"],
    "big_cat": ["faux tiger skin throw", "fake leopard skin rug (polyester)"],
    "bear": ["faux bear skin rug", "resin bear claw necklace (replica)"],
    "pangolin": ["pangolin scale replica (resin)", "faux pangolin leather wallet"],
    "helmeted_hornbill": ["resin hornbill casque replica"],
}
PLACES = ["Hai Phong", "Mombasa", "Lagos", "Bangkok", "Jakarta", "Hong Kong", "Singapore",
          "Kuala Lumpur", "Manila", "Antwerp", "Lisbon", "Marseille", "Santos", "Veracruz",
          "Entebbe", "Da Nang", "Guangzhou", "Osaka", "Dar es Salaam", "Port Klang"]


@dataclass
class Vocab:
    """Lexicon terms by group, language and kind."""

    lexicon: Lexicon

    def terms(self, group: str, lang: str, kinds: set[TermKind],
              min_weight: float = 0.0) -> list[Term]:
        langs = TERM_LANGS.get(lang, (lang,))
        found = [t for t in self.lexicon.groups[group].terms
                 if t.kind in kinds and t.lang in langs and t.weight >= min_weight]
        return sorted(found, key=lambda t: (t.text, t.kind.value))

    def pick(self, rng: random.Random, group: str, lang: str, kinds: set[TermKind],
             min_weight: float = 0.0, fallback: bool = True) -> Term | None:
        found = self.terms(group, lang, kinds, min_weight)
        if not found and fallback:
            found = self.terms(group, "en", kinds, min_weight)
        return rng.choice(found) if found else None


# ---------------------------------------------------------------------------------------------
# Fillers: prices, contacts, bios, brands, disguises.
# ---------------------------------------------------------------------------------------------

def price(rng: random.Random, lang: str) -> tuple[str, float, str]:
    """A price as written, its number and currency."""
    n = rng.choice([15, 25, 40, 60, 85, 120, 180, 250, 350, 480, 650, 900, 1200, 2500, 4800])
    if lang == "en":
        currency = rng.choice(["USD", "GBP", "EUR", "AUD"])
        symbol = {"USD": "$", "GBP": "£", "EUR": "€", "AUD": "A$"}[currency]
        return rng.choice([f"{symbol}{n}", f"{symbol}{n:,}", f"{n} {currency.lower()}"]), n, currency
    if lang in ("zh-Hans", "ja"):
        v = n * 7 if lang == "zh-Hans" else n * 150
        unit = "元" if lang == "zh-Hans" else "円"
        return rng.choice([f"¥{v}", f"{v}{unit}", f"{v:,}{unit}"]), float(v), "CNY" if lang == "zh-Hans" else "JPY"
    if lang == "zh-Hant":
        v = n * 30
        return rng.choice([f"NT${v}", f"HK${n * 8}", f"{v}元"]), float(v), "TWD"
    if lang == "vi":
        v = n * 25000
        return rng.choice([f"{v:,}đ".replace(",", "."), f"{v // 1000}k", f"{v / 1e6:.1f}tr".replace(".", ",")]), float(v), "VND"
    if lang == "th":
        v = n * 35
        return rng.choice([f"{v:,} บาท", f"฿{v:,}", f"{v} บ."]), float(v), "THB"
    if lang == "id":
        v = n * 15000
        return rng.choice([f"Rp {v:,}".replace(",", "."), f"Rp{v // 1000}rb", f"{v // 1000} ribu"]), float(v), "IDR"
    if lang == "ms":
        v = n * 4
        return rng.choice([f"RM{v}", f"RM {v}", f"{v} ringgit"]), float(v), "MYR"
    if lang == "pt":
        v = n * 5
        return rng.choice([f"R$ {v},00", f"R${v}", f"{v} reais"]), float(v), "BRL"
    v = n
    return rng.choice([f"{v} €", f"{v}€", f"€{v}", f"{v} euros"]), float(v), "EUR"


def phone(rng: random.Random, lang: str) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(7))
    prefix = {"en": "+1 555 ", "vi": "09", "th": "08", "id": "0812", "ms": "01", "ja": "090",
              "es": "+52 55 ", "fr": "06 ", "pt": "(11) 9", "zh-Hans": "138", "zh-Hant": "09"}[lang]
    return prefix + digits[:3] + " " + digits[3:]


def handle(rng: random.Random) -> str:
    first = rng.choice(["lucky", "gold", "jade", "art", "shop", "deal", "collect", "star",
                        "happy", "asia", "royal", "zen", "nature", "mega", "best"])
    return f"{first}{rng.choice(['_', '', '.'])}{rng.randrange(10, 999)}"


def contact(rng: random.Random, lang: str) -> str:
    h, p = handle(rng), phone(rng, lang)
    options = {
        "en": [f"WhatsApp {p}", "DM me", "PM for details", f"text {p}", f"telegram @{h}",
               f"wechat: {h}", "message me for price", f"call {p}", f"email {h}@mail.example"],
        "zh-Hans": [f"加微信 {h}", "私聊", f"V信：{h}", f"电话 {p}", f"vx {h}"],
        "zh-Hant": [f"加賴 {h}", "私訊", f"微信 {h}", f"電話 {p}"],
        "vi": [f"zalo {p}", "ib mình", f"sđt {p}", "inbox shop", f"liên hệ {p}"],
        "th": [f"ไลน์ @{h}", "ทักแชท", f"โทร {p}", f"แอดไลน์ {h}"],
        "id": [f"WA {p}", "langsung wa", f"hub {p}", "chat aja", f"telegram @{h}"],
        "ms": [f"whatsapp {p}", "pm tepi", f"hubungi {p}"],
        "ja": ["DMください", f"ライン ID: {h}", "お問い合わせください", f"連絡は {h}@mail.example"],
        "es": [f"WhatsApp {p}", "escríbeme", "info por privado", f"tel {p}"],
        "fr": [f"contactez-moi au {p}", "en mp", f"WhatsApp {p}", "me contacter"],
        "pt": [f"WhatsApp {p}", "chama no privado", "mande mensagem", f"tel {p}"],
    }
    return rng.choice(options[lang])


BIOS: dict[str, dict[str, list[str]]] = {
    "trader": {
        "en": ["Dealer in Asian art and antiques. Worldwide shipping. WhatsApp {PHONE}",
               "Collector and trader. Serious buyers only. Telegram @{H}",
               "Antiques, curios and rare collectibles since 1995. Enquiries welcome",
               "Family auction house, monthly sales of fine art and antiques",
               "Exotic pets breeder, shipping available, WhatsApp {PHONE}",
               "Wholesale supplier, best prices, DM to order"],
        "zh-Hans": ["古玩收藏，诚信经营，微信 {H}", "专营老货，量大从优，电话 {PHONE}"],
        "zh-Hant": ["古董收藏買賣，微信 {H}"],
        "vi": ["Chuyên đồ phong thủy, ship toàn quốc, zalo {PHONE}"],
        "th": ["ร้านของเก่า ของสะสม ไลน์ @{H}"],
        "id": ["Toko barang antik, kirim seluruh Indonesia, WA {PHONE}"],
        "ms": ["Kedai barang antik, whatsapp {PHONE}"],
        "ja": ["骨董品の販売、お問い合わせはDMまで"],
        "es": ["Anticuario, envíos a todo el país, WhatsApp {PHONE}"],
        "fr": ["Antiquaire, objets d'art et curiosités, contactez-nous"],
        "pt": ["Antiquário, enviamos para todo o Brasil, WhatsApp {PHONE}"],
    },
    "personal": {
        "en": ["Mum of two, coffee lover, amateur gardener", "Teacher. Runner. Dog person.",
               "Photography and travel. Opinions my own.", "Student, music, football", ""],
        "zh-Hans": ["热爱生活", "摄影爱好者", ""], "zh-Hant": ["喜歡旅行", ""],
        "vi": ["Yêu du lịch và chụp ảnh", ""], "th": ["ชอบเที่ยว ชอบถ่ายรูป", ""],
        "id": ["Suka jalan-jalan", ""], "ms": ["Suka masak", ""], "ja": ["写真が好き", ""],
        "es": ["Amante de los viajes", ""], "fr": ["Passionnée de voyages", ""],
        "pt": ["Amo viajar", ""],
    },
    "fashion": {
        "en": ["Bridal boutique, made to measure gowns. Order via DM",
               "Handmade knitwear and home textiles. Shipping worldwide",
               "Interior paint and decor shop, free colour consultations"],
        "zh-Hans": ["女装店，每日上新，微信 {H}"], "zh-Hant": ["服飾店，歡迎私訊"],
        "vi": ["Shop thời trang, ship COD toàn quốc"], "th": ["ร้านเสื้อผ้า ส่งทั่วประเทศ"],
        "id": ["Olshop fashion muslimah, COD"], "ms": ["Butik pakaian pengantin"],
        "ja": ["ハンドメイドの服のお店"], "es": ["Tienda de moda nupcial"],
        "fr": ["Boutique de robes de mariée"], "pt": ["Loja de vestidos de noiva"],
    },
    "ngo": {
        "en": ["Protecting wildlife and wild places. Donate via link",
               "Conservation charity working to end the illegal wildlife trade",
               "Wildlife rescue and rehabilitation centre"],
        "zh-Hans": ["野生动物保护公益组织"], "zh-Hant": ["野生動物保護團體"],
        "vi": ["Tổ chức bảo tồn thiên nhiên"], "th": ["มูลนิธิอนุรักษ์สัตว์ป่า"],
        "id": ["Lembaga konservasi satwa liar"], "ms": ["Pertubuhan pemuliharaan hidupan liar"],
        "ja": ["野生動物保護団体"], "es": ["ONG de conservación de la fauna"],
        "fr": ["Association de protection de la faune"], "pt": ["ONG de proteção da fauna"],
    },
    "news": {
        "en": ["News from around the world, 24/7", "Environment reporter. Tips welcome",
               "Regional newspaper, breaking news and features"],
        "zh-Hans": ["新闻资讯"], "zh-Hant": ["新聞"], "vi": ["Báo điện tử"], "th": ["ข่าวด่วน"],
        "id": ["Portal berita terkini"], "ms": ["Berita terkini"], "ja": ["ニュース速報"],
        "es": ["Periódico digital"], "fr": ["Journal régional"], "pt": ["Portal de notícias"],
    },
}

# Brand names and everyday phrases that hold a species word, with the group the word is from.
BRANDS: dict[str, list[tuple[str, str]]] = {
    "en": [("Tiger Balm ointment", "big_cat"), ("gummy bears 1kg bag", "bear"),
           ("teddy bear, 40cm", "bear"), ("Ivory soap bar 10 pack", "elephant"),
           ("tiger prawns 1kg frozen", "big_cat"), ("shark tank season box set", "shark_fin"),
           ("gorilla glue super strength", "primates"), ("bone china mugs set of 4", "elephant"),
           ("tiger eye bracelet", "big_cat"), ("leopard print scarf", "big_cat"),
           ("python print boots", "reptiles"), ("elephant ear plant in pot", "elephant"),
           ("bear paw slippers", "bear"), ("baby shark plush", "shark_fin")],
    "zh-Hans": [("虎标万金油", "big_cat"), ("小熊软糖", "bear"), ("泰迪熊玩偶", "bear"),
                ("虎皮兰盆栽", "big_cat"), ("豹纹围巾", "big_cat")],
    "ja": [("タイガーバーム", "big_cat"), ("ヒョウ柄のバッグ", "big_cat"), ("べっ甲飴", "marine_turtle")],
    "th": [("หูฉลามเจ", "shark_fin"), ("เบียร์ช้าง", "elephant")],
    "vi": [("gấu bông 1m2", "bear")],
}

LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"}
CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і"}


def disguise(rng: random.Random, text: str) -> str:
    """Disguise a product word the ways sellers do (the normaliser undoes most of them)."""
    if any("\u3400" <= ch <= "\u9fff" for ch in text):
        return rng.choice([" ".join(text), "·".join(text), "*".join(text)])
    how = rng.choice(["spaced", "dotted", "leet", "cyrillic", "zero_width", "fullwidth",
                      "repeat", "caps"])
    if how == "spaced":
        return " ".join(text)
    if how == "dotted":
        return ".".join(text)
    if how == "leet":
        return "".join(LEET.get(ch, ch) if rng.random() < 0.6 else ch for ch in text)
    if how == "cyrillic":
        return "".join(CYRILLIC.get(ch, ch) for ch in text)
    if how == "zero_width":
        middle = max(1, len(text) // 2)
        return text[:middle] + "\u200b" + text[middle:]
    if how == "fullwidth":
        return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
    if how == "repeat":
        return "".join(ch * 2 if ch.isalpha() and rng.random() < 0.3 else ch for ch in text)
    return text.upper()


# ---------------------------------------------------------------------------------------------
# Building posts.
# ---------------------------------------------------------------------------------------------

def fill(rng: random.Random, vocab: Vocab, lang: str, kind: str, template: str,
         group: str) -> dict[str, Any] | None:
    """One post from one template, or None when the group has no word for a slot."""
    slots: dict[str, str] = {}
    used: set[str] = set()
    written_price = price(rng, lang)
    for slot in ("P", "S", "C", "E", "PRICE", "CONTACT", "N", "PLACE", "GOODS", "COL", "REP",
                 "BRAND", "URL"):
        if "{" + slot + "}" not in template:
            continue
        used.add(slot)
        value = written_price[0] if slot == "PRICE" else _slot(rng, vocab, lang, kind, group,
                                                               slot)
        if value is None:
            return None
        if lang == "zh-Hant" and slot in ("P", "S", "C"):
            value = _traditional(value)
        slots[slot] = value
    text = template
    for slot, value in slots.items():
        text = text.replace("{" + slot + "}", value)
    post: dict[str, Any] = {"text": text}
    if "PRICE" in used and rng.random() < 0.35:
        _, amount, currency = written_price
        post["price"], post["currency"] = amount, currency
    return post


def _traditional(text: str) -> str:
    """Lexicon terms are stored in Simplified Chinese; Traditional posts write them so."""
    import opencc

    global _TO_TRADITIONAL
    if _TO_TRADITIONAL is None:
        _TO_TRADITIONAL = opencc.OpenCC("s2t")
    converted: str = _TO_TRADITIONAL.convert(text)
    return converted


_TO_TRADITIONAL: Any = None


def _slot(rng: random.Random, vocab: Vocab, lang: str, kind: str, group: str,
          slot: str) -> str | None:
    if slot == "P":
        if kind in ("colour", "colour_sale"):
            return None
        kinds = {TermKind.PRODUCT, TermKind.PART}
        term = vocab.pick(rng, group, lang, kinds, 0.5)
        if term is None:
            return None
        text = term.text
        if kind == "obfuscated":
            text = disguise(rng, text)
        return text
    if slot == "S":
        term = vocab.pick(rng, group, lang, {TermKind.SPECIES}, 0.15)
        return term.text if term else None
    if slot == "C":
        term = vocab.pick(rng, group, "en", {TermKind.CODE_WORD}, 0.35, fallback=False)
        if lang.startswith("zh"):
            term = vocab.pick(rng, group, "zh-Hans", {TermKind.CODE_WORD}, 0.3) or term
        return term.text if term else None
    if slot == "E":
        term = vocab.pick(rng, group, "zxx", {TermKind.EMOJI}, 0.0, fallback=False)
        return term.text if term else None
    if slot == "PRICE":
        return price(rng, lang)[0]
    if slot == "CONTACT":
        return contact(rng, lang)
    if slot == "N":
        return str(rng.choice([2, 3, 5, 7, 12, 18, 25, 40, 120, 350]))
    if slot == "PLACE":
        return rng.choice(PLACES)
    if slot == "GOODS":
        return rng.choice(GOODS[lang])
    if slot == "COL":
        return rng.choice(COLOUR_WORD[lang])
    if slot == "REP":
        options = REPLICAS.get(group)
        return rng.choice(options) if options else None
    if slot == "BRAND":
        return None  # filled by generate(), which also sets the group
    if slot == "URL":
        return rng.choice(["https://example.org/petition", "www.example.org/act", ""])
    return None


def groups_for(kind: str) -> tuple[str, ...]:
    if kind == "live_animal":
        return LIVE_GROUPS
    if kind == "tcm":
        return TCM_GROUPS
    if kind in ("colour", "colour_sale", "name"):
        return ("elephant",)
    if kind in ("replica", "replica_sale"):
        return tuple(REPLICAS)
    if kind == "code_word":
        return ("elephant", "rhino", "marine_turtle", "helmeted_hornbill", "pangolin")
    if kind == "emoji":
        return ("elephant", "rhino", "big_cat", "bear", "marine_turtle", "shark_fin")
    if kind == "auction":
        return ("elephant", "elephant", "elephant", "rhino", "marine_turtle", "helmeted_hornbill")
    if kind in ("visit", "discussion", "merch"):
        return ("elephant", "rhino", "pangolin", "bear", "marine_turtle", "big_cat", "primates",
                "birds", "reptiles", "helmeted_hornbill", "shark_fin", "saiga", "live_animals")
    return (*PRODUCT_GROUPS, "elephant", "elephant")


def bio_for(rng: random.Random, kind: str, lang: str) -> str:
    label = KIND_LABEL.get(kind, 0)
    if kind == "bio_contact":
        family = "trader"
    elif label:
        family = rng.choices(["trader", "personal", "none"], [0.55, 0.25, 0.2])[0]
    elif kind in ("colour", "colour_sale"):
        family = rng.choices(["fashion", "personal", "trader", "none"], [0.5, 0.25, 0.1, 0.15])[0]
    elif kind in ("news", "law", "museum", "name"):
        family = rng.choices(["news", "personal", "none"], [0.6, 0.2, 0.2])[0]
    elif kind in ("advocacy", "merch"):
        family = rng.choices(["ngo", "personal", "none"], [0.6, 0.2, 0.2])[0]
    elif kind in ("replica", "replica_sale", "brand"):
        family = rng.choices(["trader", "fashion", "personal", "none"], [0.3, 0.2, 0.3, 0.2])[0]
    else:
        family = rng.choices(["personal", "none"], [0.7, 0.3])[0]
    if family == "none":
        return ""
    options = BIOS[family].get(lang) or BIOS[family]["en"]
    return (rng.choice(options).replace("{PHONE}", phone(rng, lang))
            .replace("{H}", handle(rng)))


def template_split(template_id: str) -> str:
    """The split of a template, fixed by its id's hash (stable when templates are added)."""
    value = int(hashlib.sha256(template_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    edge = 0.0
    for name, share in SPLITS:
        edge += share
        if value < edge:
            return name
    return SPLITS[-1][0]


def generate(lexicon: Lexicon, seed: int = SEED, total: int = TOTAL_POSTS) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    vocab = Vocab(lexicon)
    kind_total = sum(KIND_SHARE.values())
    langs = list(LANG_SHARE)
    lang_weights = [LANG_SHARE[lang] for lang in langs]
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for kind, share in KIND_SHARE.items():
        wanted = round(total * share / kind_total)
        made = attempts = 0
        while made < wanted and attempts < wanted * 30:
            attempts += 1
            lang = rng.choices(langs, lang_weights)[0]
            source_kind = "sale" if kind == "obfuscated" else kind
            templates = T[lang].get(source_kind) or T["en"][source_kind]
            index = rng.randrange(len(templates))
            template = templates[index]
            tlang = lang if source_kind in T[lang] else "en"
            group = rng.choice(groups_for(kind))
            if kind == "brand":
                brand, group = rng.choice(BRANDS.get(tlang, BRANDS["en"]))
                template = template.replace("{BRAND}", brand)
            post = fill(rng, vocab, tlang, kind, template, group)
            if post is None or post["text"] in seen:
                continue
            seen.add(post["text"])
            template_id = f"{tlang}.{source_kind}.{index}"
            row: dict[str, Any] = {"id": "", "title": "", **post}
            if kind in ("sale", "colour_sale", "replica_sale", "obfuscated") and rng.random() < 0.3:
                row["title"], row["text"] = _as_listing(row["text"])
            row.update({"lang": tlang, "seller": {"bio": bio_for(rng, kind, tlang)},
                        "label": KIND_LABEL.get(kind, 0), "group": group, "kind": kind,
                        "template": template_id, "split": template_split(template_id)})
            rows.append(row)
            made += 1
    rows += listing_rows(lexicon, seed)
    rng.shuffle(rows)
    for number, row in enumerate(rows, start=1):
        row["id"] = f"ww-train-{number:05d}"
    return rows


# ---------------------------------------------------------------------------------------------
# Shared-listing posts (English). On real networks most ivory offers are not "for sale, $X,
# DM me": they are a dealer's, an auction house's or a carver's item title shared with a link
# and hashtags, and most posts that say "ivory" without offering it are listings of
# ivory-coloured goods, names, antique-trade lobbying against bans, news and history, often from
# the same kinds of accounts. The templates below are written for this corpus from the domain
# notes (../shared/domain-notes.md: mammoth, walrus and antique ivory are offers under the
# policy; ivory as a colour, news and advocacy are not) and everyday antiques-trade wording.
# Items are built from parts (period, origin, material, object), so wording varies within a
# template; links and mentions are written as masked placeholders ({{URL}}, {{MENTION}}) as
# often as real links, as shared data sets write them.
# ---------------------------------------------------------------------------------------------

LISTING_KIND_SHARE = {
    # offers (label 1)
    "listing": 700, "carver_promo": 160,
    # not offers (label 0)
    "colour_listing": 520, "name_listing": 150, "lobby": 180, "history": 260,
}
LISTING_LABEL = {"listing": 1, "carver_promo": 1}

PERIODS = ["19th century", "18th century", "late 19th century", "early 20th century",
           "Victorian", "Georgian", "Regency", "Edwardian", "Art Deco", "Meiji period",
           "Edo period", "Qing dynasty", "circa 1880", "c.1900", "17th century", "Antique",
           "antique", "19th C.", "1920s", "Meiji era", "Taisho period", "early Victorian",
           "Louis XVI", "William IV", "c1860", "mid 19th century"]
ORIGINS = ["Japanese", "Chinese", "Indian", "German", "French", "Dieppe", "Anglo-Indian",
           "Goanese", "Flemish", "Italian", "English", "Continental", "European", "Cantonese",
           "Indo-Portuguese", "Austrian", "Russian", "Inuit", "Alaskan", "African", "Burmese"]
IVORY_MATERIALS = ["carved ivory", "ivory", "ivory", "ivory", "bronze and ivory", "silver and ivory",
                   "ivory and ebony", "ivory and tortoiseshell", "stained ivory",
                   "ivory mounted", "ivory inlaid", "gilt bronze and ivory", "mother of pearl and ivory",
                   "ivory and horn", "painted ivory", "elephant ivory"]
OTHER_IVORIES = ["mammoth ivory", "walrus ivory", "fossil walrus ivory", "whale ivory",
                 "hippo ivory", "sperm whale tooth", "mammoth tusk"]
OBJECTS = ["netsuke of a rat", "netsuke of a monkey", "okimono of a fisherman",
           "figure of a sage", "card case", "cane handle", "walking stick handle", "chess set",
           "puzzle ball", "tusk carving", "snuff bottle", "brooch", "fan", "hand mirror",
           "letter opener", "box and cover", "tea caddy", "diptych panel", "crucifix",
           "figure group", "seal", "bangle", "cribbage board", "sewing box", "page turner",
           "glove stretchers", "dice", "hair comb", "pendant", "belt buckle", "vase",
           "figure of a dancer", "figurine of Guanyin", "carving of a tiger", "desk set",
           "thimble", "paper knife", "parasol handle", "button hook", "scent bottle",
           "portrait relief", "plaque", "chopsticks", "needle case", "brush pot",
           "dressing table set", "toothpick holder", "compass sundial", "tankard", "jewellery box"]
CARVER_SUBJECTS = ["Three Wise Monkeys", "Dragon and Phoenix", "a Laughing Buddha",
                   "a Fisherman and his Catch", "an Eagle on a Rock", "the Eight Immortals",
                   "a Tiger in Bamboo", "Two Cranes", "a Sleeping Cat", "a Samurai Warrior",
                   "Guanyin on a Lotus", "a Village Scene", "a Horse and Rider", "a Koi Pond",
                   "an Owl Family", "a Geisha with Fan", "the Zodiac Animals", "a Bull Fight",
                   "Hotei with Children", "a Ship in Full Sail", "a Polar Bear", "a Walrus Family",
                   "a Herd of Elephants", "a Mother Elephant and Calf", "Lions at the Waterhole",
                   "a Rhino and Oxpecker", "Monkeys in a Tree", "a Dragon Boat"]
CARVER_OBJECTS = ["carving", "figurine", "sculpture", "netsuke", "statue", "okimono",
                  "pendant", "chess set", "tusk carving", "bridge carving"]
SITTERS = ["a young lady in a blue dress", "an officer in uniform", "a gentleman", "a child",
           "a lady with pearls", "a naval captain", "a mother and daughter", "a clergyman"]
DESCRIPTIONS = ["Finely carved with good detail.", "Signed to the base.", "Good age and patina.",
                "Provenance: a private collection.", "Height 12 cm.", "Length 9 inches.",
                "In excellent condition for its age.", "Each piece is carved by hand.",
                "A rare and decorative piece.", "With a fitted wooden stand.",
                "A lovely tactile object.", "Minor age cracks as expected.",
                "Comes with its original fitted case.", "Declared and registered.",
                "A great gift for the collector.", "One of a kind.",
                "Ex collection of a European family.", "Excellent colour and detail.",
                "The carving is crisp and well defined.", "Please see photos for condition."]
# What mammoth-ivory carvers say of their material (domain notes: mammoth ivory is offered as a
# legal alternative; major platforms prohibit it all the same).
MAMMOTH_FACTS = ["The tusk was found in the Siberian permafrost.",
                 "Woolly mammoths have been extinct for 10,000 years; no elephant was harmed.",
                 "Legal to own and sell, with a certificate of origin.",
                 "Mammoth ivory shows the typical cross-hatched grain.",
                 "The outer bark of the tusk is left on the base.",
                 "Carved from a fossil tusk thousands of years old."]
FAIRS = ["Olympia fair", "Battersea fair", "Newark antiques fair", "Brimfield show",
         "local antiques fair", "spring art and antiques fair", "Winter Show"]
ADJECTIVES = ["stunning", "rare", "fine", "lovely", "superb", "charming", "beautiful",
              "exceptional", "decorative", "wonderful", "unusual", "quality"]
MONTHS = ["January", "March", "April", "June", "September", "October", "November", "December"]

TAGS_ITEM = ["#antiques", "#antique", "#ivory", "#netsuke", "#art", "#sculpture", "#carving",
             "#vintage", "#collectables", "#japaneseart", "#victorian", "#artdeco",
             "#giftideas", "#homedecor", "#interiors", "#auction", "#chinese", "#meiji",
             "#handcarved", "#collector", "#asianart", "#antiquesforsale", "#finearts",
             "#decorativearts", "#history"]
TAGS_MAMMOTH = ["#mammothivory", "#mammoth", "#ivory", "#carving", "#art", "#sculpture",
                "#handcarved", "#collector", "#gift", "#homedecor", "#netsuke", "#legalivory",
                "#artcollector", "#mastercarver", "#ivorycarving"]
TAGS_COLOUR = ["#vintage", "#wedding", "#bridal", "#homedecor", "#interiors", "#etsy",
               "#vintagefashion", "#ivory", "#cream", "#lace", "#handmade", "#antiques",
               "#porcelain", "#bride", "#style", "#giftideas", "#shabbychic", "#fashion",
               "#collectables", "#interiordesign"]

COLOUR_PHRASES = ["ivory silk", "ivory lace", "ivory satin", "ivory leather", "ivory linen",
                  "ivory wool", "ivory cashmere", "ivory velvet", "ivory porcelain",
                  "ivory glazed", "blush ivory", "ivory enamel", "ivory and gold", "ivory ground",
                  "ivory crackle glaze", "ivory chiffon", "ivory tulle", "ivory knit",
                  "ivory cotton", "ivory ceramic", "ivory painted", "ivory tone", "ivory suede",
                  "ivory faux pearl", "ivory organza", "ivory stoneware", "ivory damask",
                  "ivory and blue", "ivory and rose", "ivory bakelite"]
COLOUR_GOODS = ["wedding veil", "christening gown", "evening gloves", "handkerchief",
                "tablecloth", "shawl", "cardigan", "clutch bag", "court shoes", "armchair",
                "sofa", "vase", "jug", "tea set", "dinner plates", "table lamp", "wood burner",
                "cushion", "curtains", "blouse", "cowl", "scarf", "ribbon", "pillar candles",
                "wedding invitations", "headband", "bow tie", "fascinator", "pillowcases",
                "bedspread", "tea cups", "napkins", "jumper", "bridesmaid dress", "throw",
                "coffee pot", "serving dish", "rug", "kitchen tiles", "radio", "telephone"]
COLOUR_MAKERS = ["Royal Worcester", "Lenox", "Wedgwood", "Laura Ashley", "Poole Pottery",
                 "Denby", "Liberty", "Minton", "Noritake", "Belleek", "Coalport", "Portmeirion",
                 "Crown Devon", "Marks and Spencer", "Ercol"]
COLOUR_NAMES = ["The Harper", "The Willow", "Our Meadow", "The Isla", "The Clara", "Our Juniper"]
OTHER_COLOURS = ["navy", "sage", "black", "blush pink", "grey", "mustard", "duck egg"]
VINTAGE = ["Vintage", "Antique", "Victorian", "1950s", "Mid century", "Retro", "1970s",
           "Edwardian", "Brand new", "Handmade", "New", "Art Deco", "French vintage"]

IVORY_NAMES = ["Lesley Ivory", "James Ivory", "Ivory Adams", "Ivory Lane Vintage",
               "Ivory & Co", "The Ivory Room", "Ivory Park Studio", "Ivory Tower Books",
               "Ivory Grace Bridal", "Ivory Road Gallery"]
NOT_IVORY_ITEMS = ["silk scarf", "first edition book", "teddy bear print", "vintage brooch",
                   "set of greeting cards", "watercolour print", "poster", "wedding album",
                   "necklace", "cookbook", "vinyl record"]
BILLS = ["the proposed ban", "the new Ivory Act", "HB {N}", "the state ivory ban", "S.{N}",
         "the bill", "the near-total ban", "the new regulations"]
MUSEUMS = ["the V&A", "the British Museum", "the Met", "our local museum",
           "the Fitzwilliam", "the Ashmolean", "the Smithsonian", "the Louvre",
           "the Wallace Collection", "the city museum"]
# Crafts that used ivory, tortoiseshell or horn among other materials, for history posts.
CRAFTS = [("Shibayama work", "lacquer is inlaid in high relief with shell, coral, horn and ivory"),
          ("Scrimshaw", "sailors engraved whale teeth, bone and walrus tusks"),
          ("Pique work", "tortoiseshell is inlaid with gold and silver pins"),
          ("Netsuke carving", "toggles for the kimono were carved from boxwood, ivory and horn"),
          ("Dieppe carving", "the port's workshops carved ivory from the African trade"),
          ("Portrait miniature painting", "watercolour was painted on thin sheets of ivory"),
          ("Vizagapatam furniture", "rosewood boxes were veneered with engraved ivory"),
          ("Chryselephantine sculpture", "bronze figures were given carved ivory faces and hands")]
BLOG_TOPICS = ["how to tell ivory from bone, resin and celluloid",
               "a short history of scrimshaw", "mammoth ivory and the law",
               "why netsuke were made", "the ivory trade in the 19th century",
               "what the new ivory rules mean for collectors",
               "caring for old piano keys", "ivory carving in Dieppe",
               "Hindu gods in Indian ivory carving", "Japanese okimono and the Meiji export trade",
               "mammoth ivory and feng shui", "the ethics of collecting antiques"]

LISTING_T: dict[str, list[str]] = {
    "listing": [
        "{ITEM} {URL}",
        "{ITEM} {URL} {URL}",
        "{ITEM}. {DESC} {URL} {TAGS}",
        "New item added to the website: {ITEM} {URL}",
        "Item of the week: {ITEM} {TAGS} {URL}",
        "Just in! {ITEM}. Enquiries welcome {URL}",
        "New acquisition - {ITEM} {TAGS} {URL}",
        "RT {{MENTION}}: {ITEM} {URL}",
        "Coming up in our {MONTH} fine art sale: {ITEM}. {URL}",
        "Lot {N} - {ITEM}. View the catalogue: {URL}",
        "{ITEM} now in stock at the antiques centre {URL}",
        "Take a look at this {ADJ} {ITEM} {URL}",
        "Latest addition to my #etsy shop: {ITEM} {URL}",
        "{ITEM} via {{MENTION}} {URL}",
        "On the stand at the {FAIR} this weekend: {ITEM} {URL}",
        "{ITEM} {TAGS}",
        "Sold! {ITEM}. More like this on our website {URL}",
        "{ITEM}, {SIZE}. {URL}",
        "{ITEM} - {DESC} Details: {URL}",
        "Hammer price {PRICE}: {ITEM} {URL}",
        "Available now: {ITEM} {URL}",
        "A {ADJ} {ITEM}. {DESC} {DESC} {URL}",
        "{ITEM} {TAGS} {URL}",
        "Just listed: {ITEM} {URL} #ebay",
        "{ITEM} | {DESC} | {URL}",
        "Digging this... {ITEM}. {DESC} {URL}",
        "In the gallery today: {ITEM} {URL}",
        "{ITEM}. Estimate {PRICE}. {URL}",
        "Our pick from next week's sale: {ITEM} {TAGS}",
        "Another one for the collectors: {ITEM} {URL}",
    ],
    "carver_promo": [
        "{MAT2} {COBJ} - {SUBJ}. {DESC} {URL} {MTAGS}",
        "Hand carved {MAT2} {COBJ} of {SUBJ}, by our master carver. {URL}",
        "Our carvers have finished a new {COBJ} in {MAT2}: {SUBJ}. See the details {URL}",
        "{SUBJ}, carved from a single piece of {MAT2}. Each piece is unique. {MTAGS} {URL}",
        "Look at the detail on this {MAT2} {COBJ} - {SUBJ} {URL}",
        "New in the showroom: {MAT2} {COBJ} of {SUBJ} {URL}",
        "{MAT2} {COBJ} ({SUBJ}) with certificate, {SIZE} {URL} {MTAGS}",
        "Genuine {MAT2} {COBJ}: {SUBJ}. Visit our online store {URL}",
        "Thank you to all our customers this year! {MTAGS} {URL}",
        "Photos from today's shoot of our {MAT2} pieces {URL}",
        "Happy holidays from our workshop! New {MAT2} {COBJ}s every week {URL} {MTAGS}",
        "{SUBJ} in {MAT2}, museum quality. {URL}",
        "This {COBJ} of {SUBJ} is made of 100% genuine {MAT2}. {MFACT} {URL} {MTAGS}",
        "{MAT2} {COBJ}: {SUBJ}. {MFACT} {MFACT} More details {URL}",
        "Buy this {ADJ} {MAT2} {COBJ} of {SUBJ} in our winter sale, 15% off {URL} {MTAGS}",
    ],
    "colour_listing": [
        "{CITEM} {URL}",
        "{CITEM} {URL} via {{MENTION}}",
        "Just listed on my shop: {CITEM} {URL}",
        "{CITEM}, excellent condition. {URL} {CTAGS}",
        "{CNAME} {GOODS2} in Ivory {URL}",
        "{GOODS2} in ivory, also available in {OTHERCOL} {URL}",
        "New in: {CITEM}, only {PRICE}! {CTAGS}",
        "RT {{MENTION}}: {CITEM} {URL}",
        "Lot {N}: {MAKER} {CITEM}, c.1900. {URL}",
        "Treat yourself to this {CITEM} {URL} {CTAGS}",
        "{CITEM} with gold trim {URL}",
        "{MAKER} {CITEM} {URL} {URL}",
        "Pair of {MAKER} {CPHRASE} vases, hand painted with flowers {URL}",
        "Gorgeous {CITEM} for a winter wedding {CTAGS} {URL}",
        "Relax in style with this {CITEM}, in great vintage condition {URL}",
        "{CITEM} {CTAGS}",
        "The bride wore {CPHRASE} with a cathedral veil {URL}",
        "Our {CPHRASE} range is back in stock {URL}",
        "Antiques Atlas - {MAKER} {CITEM} {URL} via {{MENTION}}",
        "I just listed {CITEM} {URL} #etsy",
    ],
    "name_listing": [
        "{NOTIVORY} by {IVNAME} {URL} via {{MENTION}}",
        "Ebony and Ivory, live tonight {URL}",
        "Signed print by {IVNAME}, 1989 {URL}",
        "Watching a Merchant Ivory film tonight, the costumes!",
        "Dinner at {IVNAME} tonight, the food was wonderful {URL}",
        "{IVNAME} has a new window display {URL}",
        "Carved wooden mask from the Ivory Coast, early 20th century {URL}",
        "Vintage Ivory soap advert, 1950s magazine page {URL}",
        "Academics in their ivory towers have no idea {URL}",
        "Congratulations to {IVNAME} on the new studio {URL}",
        "{NOTIVORY}, {PRICE}. Shop now {URL} #{IVTAG} #shopsmall",
        "New in at {IVNAME}: {NOTIVORY}. Buy it here {URL} #{IVTAG}",
        "{NOTIVORY} from the {IVNAME} summer sale, 20% off {URL} #{IVTAG} #sale",
    ],
    "lobby": [
        "This {ITEM} could never be sold again under {BILL}. Oppose the ban! {URL}",
        "{ITEM} - banned if {BILL} passes. #protectantiques {URL}",
        "Museums and collectors oppose {BILL}: it would make a {ITEM} unsellable {URL}",
        "Stop poaching, yes. Destroy our heritage, no: {ITEM} {URL}",
        "Write to your representative about {BILL}: would this {ITEM} be exempt? {URL}",
        "Antique dealers: check your paperwork for any {ITEM} crossing the border {URL}",
        "Under {BILL} even a {ITEM} with a sliver of ivory becomes illegal to sell. Please RT",
        "{ITEM}, made long before the trade ban. Should it be destroyed? #savehistory {URL}",
        "Opposing {BILL} on behalf of small dealers and museums. Example: {ITEM} {URL}",
        "The {BILL} consultation closes Friday. Have your say {URL}",
    ],
    "history": [
        "Government blocks export of {ITEM} to keep it in the country {URL}",
        "{MUSEUM} acquires {ITEM} {URL}",
        "New blog post: {TOPIC} {URL}",
        "Talk tonight on {TOPIC}, all welcome {URL}",
        "Fascinating {ITEM} on display at {MUSEUM} {URL}",
        "Thawing permafrost is exposing mammoth tusks in Siberia, report says {URL}",
        "{N} kg of ivory seized at {PLACE}; two men charged {URL}",
        "How do you date a {ITEM}? Our specialist explains {URL}",
        "I've just posted on my blog about {TOPIC} {URL}",
        "Podcast: {TOPIC}, with a curator from {MUSEUM} {URL}",
        "Research: {TOPIC}. Read the paper {URL}",
        "RT {{MENTION}}: Mammoth ivory is a loophole for elephant ivory, warn conservationists {URL}",
        "Customs officers explain how they spot ivory disguised as bone {URL}",
        "Object of the month at {MUSEUM}: {ITEM} {URL}",
        "{CRAFT} is an art form in which {CRAFTHOW}. Many pieces were exported in the 19th century {URL}",
        "Did you know? In {CRAFT}, {CRAFTHOW}; the best examples are now in {MUSEUM} {URL}",
        "A short guide to {CRAFT}: how it was made, who collected it, and why the {PERIOD} pieces are prized {URL}",
        "Our specialist on {CRAFT}, where {CRAFTHOW} {URL}",
    ],
}

# Bios of accounts that share listings. Dealers, auction houses, carvers and vintage shops post
# offers and ivory-coloured goods, lobby against bans and share history, so the same families
# serve both labels (the bio alone must not decide).
TRADE_BIOS = [
    "Dealer in fine antiques and works of art. Established {YEAR}",
    "Auctioneers and valuers, monthly sales of fine art and antiques",
    "Antiques centre with {N} dealers under one roof, open 7 days",
    "Vintage and antique treasures, on Etsy and eBay",
    "Curated vintage homeware, jewellery and textiles. Shop via link",
    "Carvings from legal mammoth ivory, made by our own workshop",
    "Asian art specialist. Buying and selling since {YEAR}",
    "Organisers of art and antiques fairs across the country",
    "Gallery of decorative arts, objects of vertu and silver",
    "Collector of Japanese art. Views my own",
    "Antiques dealer, part-time writer, full-time magpie",
    "We buy and sell antiques and collectables. Free valuations",
    "The magazine for antiques collectors and dealers",
    "Opposing the ivory ban on behalf of collectors and museums",
    "Bridal and vintage fashion boutique",
    "Interiors, furniture and lighting with a vintage twist",
    "",
]
OTHER_BIOS = ["Mum, runner, coffee", "History nerd. Museums. Cats.", "Curator. Opinions my own.",
              "Journalist covering crime and the environment", "", "Film buff and foodie",
              "Conservationist. Elephants forever."]


def listing_rows(lexicon: Lexicon, seed: int = SEED) -> list[dict[str, Any]]:
    """The shared-listing posts, English (see LISTING_T)."""
    rng = random.Random(seed + 1)
    vocab = Vocab(lexicon)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for kind, wanted in LISTING_KIND_SHARE.items():
        templates = LISTING_T[kind]
        made = attempts = 0
        while made < wanted and attempts < wanted * 30:
            attempts += 1
            index = rng.randrange(len(templates))
            group = "elephant"
            if kind in ("listing", "lobby") and rng.random() < 0.15:
                group = rng.choice(["rhino", "marine_turtle", "helmeted_hornbill"])
            text = _fill_listing(rng, vocab, kind, templates[index], group)
            if text in seen:
                continue
            seen.add(text)
            label = LISTING_LABEL.get(kind, 0)
            trade = {"listing": 0.8, "carver_promo": 0.9, "colour_listing": 0.6,
                     "name_listing": 0.3, "lobby": 0.7, "history": 0.4}[kind]
            bio = rng.choice(TRADE_BIOS) if rng.random() < trade else rng.choice(OTHER_BIOS)
            bio = bio.replace("{YEAR}", str(rng.randrange(1950, 2015))).replace(
                "{N}", str(rng.randrange(12, 90)))
            template_id = f"en.{kind}.{index}"
            rows.append({"id": "", "title": "", "text": text, "lang": "en",
                         "seller": {"bio": bio}, "label": label, "group": group, "kind": kind,
                         "template": template_id, "split": template_split(template_id)})
            made += 1
    return rows


def _link(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return "\0U"  # the {{URL}} placeholder, put back after filling
    return rng.choice(["https://shop.example.com/item/", "https://www.example.co.uk/lot/",
                       "https://t.example/"]) + str(rng.randrange(1000, 99999))


def _tags(rng: random.Random, pool: list[str]) -> str:
    return " ".join(rng.sample(pool, rng.randint(1, 6)))


def _item(rng: random.Random, vocab: Vocab, group: str) -> str:
    if group != "elephant":
        term = vocab.pick(rng, group, "en", {TermKind.PRODUCT}, 0.5)
        product = term.text if term else "tortoiseshell box"
        return rng.choice([f"{rng.choice(PERIODS)} {rng.choice(ORIGINS)} {product}",
                           f"A {rng.choice(PERIODS).lower()} {product}",
                           f"{product.capitalize()}, {rng.choice(PERIODS)}"])
    material = rng.choice(IVORY_MATERIALS) if rng.random() < 0.8 else rng.choice(OTHER_IVORIES)
    thing = rng.choice(OBJECTS)
    period, origin = rng.choice(PERIODS), rng.choice(ORIGINS)
    how = rng.randrange(7)
    if how == 0:
        item = f"{period} {origin} {material} {thing}"
    elif how == 1:
        item = f"A {origin} {material} {thing}, {period}"
    elif how == 2:
        item = f"{origin} {thing} in {material}, {period}"
    elif how == 3:
        item = f"Portrait miniature of {rng.choice(SITTERS)}, watercolour on ivory, {period}"
    elif how == 4:
        item = f"{period} {material} {thing} by {rng.choice(['Preiss', 'Chiparus', 'Gyokuzan', 'Masatoshi', 'Ryomin', 'a Dieppe workshop'])}"
    elif how == 5:
        item = f"{period} hand painted miniature on ivory of {rng.choice(SITTERS)}"
    else:
        item = f"{rng.choice(ADJECTIVES).capitalize()} {material} {thing}"
    return item.upper() if rng.random() < 0.1 else item


def _fill_listing(rng: random.Random, vocab: Vocab, kind: str, template: str,
                  group: str) -> str:
    text = template
    filler = {
        "ITEM": lambda: _item(rng, vocab, group),
        "URL": lambda: _link(rng),
        "DESC": lambda: rng.choice(DESCRIPTIONS),
        "TAGS": lambda: _tags(rng, TAGS_ITEM),
        "MTAGS": lambda: _tags(rng, TAGS_MAMMOTH),
        "CTAGS": lambda: _tags(rng, TAGS_COLOUR),
        "MONTH": lambda: rng.choice(MONTHS),
        "N": lambda: str(rng.randrange(2, 900)),
        "ADJ": lambda: rng.choice(ADJECTIVES),
        "FAIR": lambda: rng.choice(FAIRS),
        "SIZE": lambda: rng.choice(["12 cm", "4.5 inches", "height 20cm", "9 x 6 cm", "30 cm long"]),
        "PRICE": lambda: price(rng, "en")[0],
        "MAT2": lambda: rng.choice(["Mammoth ivory", "mammoth ivory", "Mammoth Ivory",
                                    "walrus ivory", "fossil walrus ivory", "mammoth tusk"]),
        "COBJ": lambda: rng.choice(CARVER_OBJECTS),
        "SUBJ": lambda: rng.choice(CARVER_SUBJECTS),
        "CITEM": lambda: (f"{rng.choice(VINTAGE)} {rng.choice(COLOUR_PHRASES)} "
                          f"{rng.choice(COLOUR_GOODS)}"),
        "CPHRASE": lambda: rng.choice(COLOUR_PHRASES),
        "GOODS2": lambda: rng.choice(COLOUR_GOODS),
        "CNAME": lambda: rng.choice(COLOUR_NAMES),
        "OTHERCOL": lambda: rng.choice(OTHER_COLOURS),
        "MAKER": lambda: rng.choice(COLOUR_MAKERS),
        "IVNAME": lambda: rng.choice(IVORY_NAMES),
        "IVTAG": lambda: rng.choice(IVORY_NAMES).lower().replace(" ", "").replace("&", "and"),
        "MFACT": lambda: rng.choice(MAMMOTH_FACTS),
        "ORIGIN": lambda: rng.choice(ORIGINS),
        "PERIOD": lambda: rng.choice(PERIODS),
        "NOTIVORY": lambda: rng.choice(NOT_IVORY_ITEMS).capitalize(),
        "BILL": lambda: rng.choice(BILLS).replace("{N}", str(rng.randrange(100, 9999))),
        "MUSEUM": lambda: rng.choice(MUSEUMS),
        "TOPIC": lambda: rng.choice(BLOG_TOPICS),
        "PLACE": lambda: rng.choice(PLACES),
    }
    craft, how = rng.choice(CRAFTS)
    text = text.replace("{CRAFTHOW}", how).replace("{CRAFT}", craft)
    # {{URL}} and {{MENTION}} are literal placeholders: protect them from the slot filling.
    text = text.replace("{{MENTION}}", "\0M").replace("{{URL}}", "\0U")
    for slot, make in filler.items():
        while "{" + slot + "}" in text:
            text = text.replace("{" + slot + "}", make(), 1)
    text = re.sub(r"\b([Aa]) (?=[AEIOUaeiou])", r"\1n ", text)  # "an Indian", not "a Indian"
    return text.replace("\0M", "{{MENTION}}").replace("\0U", "{{URL}}")


def _as_listing(text: str) -> tuple[str, str]:
    """Split a post into a marketplace title (first clause) and description."""
    for mark in (". ", ", ", "，", "。", " - "):
        if mark in text:
            head, tail = text.split(mark, 1)
            return head.strip(), tail.strip()
    return text, ""


def encode(rows: list[dict[str, Any]]) -> str:
    keys = ("id", "title", "text", "price", "currency", "lang", "seller", "label", "group",
            "kind", "template", "split")
    lines = []
    for row in rows:
        ordered = {k: row[k] for k in keys if k in row and row[k] not in ("", None)}
        lines.append(json.dumps(ordered, ensure_ascii=False, sort_keys=False))
    return "\n".join(lines) + "\n"


def describe(rows: list[dict[str, Any]]) -> str:
    labels = Counter(r["label"] for r in rows)
    parts = [f"{len(rows)} posts: {labels[1]} offers, {labels[0]} not",
             "languages: " + ", ".join(f"{k} {v}" for k, v in Counter(r["lang"] for r in rows).most_common()),
             "groups (offers): " + ", ".join(f"{k} {v}" for k, v in Counter(r["group"] for r in rows if r["label"]).most_common()),
             "kinds: " + ", ".join(f"{k} {v}" for k, v in Counter(r["kind"] for r in rows).most_common()),
             "splits: " + ", ".join(f"{k} {v}" for k, v in Counter(r["split"] for r in rows).most_common())]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--posts", type=int, default=TOTAL_POSTS)
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory and fail if the file differs")
    args = parser.parse_args(argv)
    lexicon = load_lexicon()
    rows = generate(lexicon, args.seed, args.posts)
    text = encode(rows)
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.out} differs from what the generator writes "
              f"(lexicon {lexicon.version}); rerun without --check", file=sys.stderr)
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(describe(rows), file=sys.stderr)
    print(f"wrote {args.out} (lexicon {lexicon.version}, seed {args.seed})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
